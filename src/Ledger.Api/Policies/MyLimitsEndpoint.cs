using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Marten;

namespace Ledger.Api.Policies;

/// <summary>What the caller may still do alone today, shown to a CSR before posting.</summary>
public sealed record MyLimits(
    string UserId, string Role, long PolicyVersion, DateOnly Day, decimal MaxSingleCredit, decimal MaxSingleCorrection,
    decimal DailyCreditTotal, decimal CreditedToday, decimal RemainingToday, decimal AccountCreditTotal30Days, decimal SecondApprovalAbove);

public static class MyLimitsEndpoint
{
    public static void MapMyLimits(this WebApplication app) => app
        .MapGet("/api/me/limits", async (HttpContext http, IQuerySession query, TimeProvider clock) =>
        {
            var limits = await PolicyQueries.MyLimitsAsync(query, Actor.From(http.User), clock, http.RequestAborted);
            return limits is null ? Problems.NotFound("Limits for your role") : Results.Ok(limits);
        })
        .RequireAuthorization(AccessPolicies.Desk)
        .WithTags("Me")
        .WithName("GetMyLimits")
        .WithSummary("The caller's limits under the policy in force, and what they may still credit alone today (UTC day).")
        .Produces<MyLimits>()
        .Refuses(StatusCodes.Status404NotFound);
}
