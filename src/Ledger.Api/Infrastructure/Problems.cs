using Ledger.Domain;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Infrastructure;

/// <summary>RFC 9457 answers that name the rule that refused and, where there is one, the field.</summary>
public static class Problems
{
    public const string RuleTypeBase = "https://eventsourcedledger.dev/rules/";

    public static ProblemHttpResult Rule(Rejection rejection, int status = StatusCodes.Status422UnprocessableEntity) =>
        TypedResults.Problem(Describe(rejection, status));

    public static ProblemDetails Describe(Rejection rejection, int status = StatusCodes.Status422UnprocessableEntity)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Type = RuleTypeBase + rejection.Rule,
            Title = rejection.Rule,
            Detail = rejection.Message,
        };
        problem.Extensions["rule"] = rejection.Rule;
        if (rejection.Reference is { } reference)
            problem.Extensions["reference"] = reference;
        if (rejection.Field is not null)
        {
            problem.Extensions["field"] = rejection.Field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [rejection.Field] = [rejection.Message] };
        }
        return problem;
    }

    public static ProblemHttpResult NotFound(string what) =>
        Rule(new Rejection("not-found", $"{what} does not exist or is not visible to you."), StatusCodes.Status404NotFound);
}
