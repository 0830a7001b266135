using Ledger.Api.Access;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Marten;

namespace Ledger.Api.Policies;

/// <summary>The limits policy and what it leaves a caller, for the API and the portal's pages alike.</summary>
public static class PolicyQueries
{
    /// <summary>The actor's limits today, or null for a role the policy gives none.</summary>
    public static async Task<MyLimits?> MyLimitsAsync(IQuerySession query, Actor actor, TimeProvider clock, CancellationToken ct)
    {
        var policy = await query.LoadAsync<PolicyState>(PolicyState.StreamId, ct);
        if (policy?.Current.For(actor.Role) is not { } own)
            return null;
        var day = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var used = (await query.LoadAsync<DailyAllowance>(DailyAllowance.StreamIdFor(actor.UserId, day), ct))?.Used ?? 0m;
        return new MyLimits(actor.UserId, actor.Role, policy.Version, day, own.MaxSingleCredit, own.MaxSingleCorrection,
            own.DailyCreditTotal, used, Math.Max(0m, own.DailyCreditTotal - used), own.AccountCreditTotal30Days, policy.Current.SecondApprovalAbove);
    }

    /// <summary>Every version of the limits policy (its stream is short): a request is read against the limits it was made under.</summary>
    public static async Task<Dictionary<long, LimitsPolicy>> VersionsAsync(IQuerySession query, CancellationToken ct) =>
        (await query.Events.FetchStreamAsync(PolicyState.StreamId, token: ct))
            .Where(e => e.Data is PolicyChanged).ToDictionary(e => e.Version, e => ((PolicyChanged)e.Data).Current);
}
