using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
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
            var limits = await ForAsync(query, Actor.From(http.User), clock, http.RequestAborted);
            return limits is null ? Problems.NotFound("Limits for your role") : Results.Ok(limits);
        })
        .RequireAuthorization(AccessPolicies.Desk)
        .WithTags("Me")
        .WithName("GetMyLimits")
        .WithSummary("The caller's limits under the policy in force, and what they may still credit alone today (UTC day).")
        .Produces<MyLimits>();

    /// <summary>The actor's limits today, or null for a role the policy gives none.</summary>
    public static async Task<MyLimits?> ForAsync(IQuerySession query, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var policy = await query.LoadAsync<PolicyState>(PolicyState.StreamId, ct);
        if (policy?.Current.For(actor.Role) is not { } own)
            return null;
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var used = (await query.LoadAsync<DailyAllowance>(DailyAllowance.StreamIdFor(actor.UserId, day), ct))?.Used ?? 0m;
        return new MyLimits(actor.UserId, actor.Role, policy.Version, day, own.MaxSingleCredit, own.MaxSingleCorrection,
            own.DailyCreditTotal, used, Math.Max(0m, own.DailyCreditTotal - used), own.AccountCreditTotal30Days, policy.Current.SecondApprovalAbove);
    }
}
