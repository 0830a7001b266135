using FluentValidation;

namespace Ledger.Api.Infrastructure;

/// <summary>Runs the FluentValidation validator of a request body; a broken request gets a 400 naming each field.</summary>
public sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var body = context.Arguments.OfType<T>().FirstOrDefault();
        if (body is null)
            return await next(context);
        var result = await validator.ValidateAsync(body, context.HttpContext.RequestAborted);
        if (result.IsValid)
            return await next(context);

        var errors = result.Errors.GroupBy(e => e.PropertyName).ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
        return TypedResults.ValidationProblem(errors, detail: "The request has invalid or missing fields.",
            type: Problems.RuleTypeBase + "invalid-request", title: "invalid-request",
            extensions: new Dictionary<string, object?> { ["rule"] = "invalid-request", ["field"] = result.Errors[0].PropertyName });
    }
}

public static class ValidationExtensions
{
    public static RouteHandlerBuilder Validated<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>().ProducesValidationProblem();

    /// <summary>JSON names are camelCase, so errors name fields the way the caller wrote them.</summary>
    public static void UseCamelCaseNames()
    {
        // A nested rule (r => r.Limits!.Csr) names the whole path as the client wrote it ("limits.csr"), not its last step.
        ValidatorOptions.Global.PropertyNameResolver = (_, member, expression) => expression is not null
            ? string.Join('.', FluentValidation.Internal.PropertyChain.FromExpression(expression).ToString().Split('.').Select(JsonNamingPolicyCamel))
            : member is null ? null : JsonNamingPolicyCamel(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicyCamel(member.Name);
    }

    private static string JsonNamingPolicyCamel(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);
}
