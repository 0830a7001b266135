using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Projections;
using Ledger.Domain.Policies;
using Marten;

namespace Ledger.Api.Policies;

/// <summary>One version of the limits policy: the limits it set, what it changed from the version before, who, when and why.</summary>
public sealed record PolicyVersionView(long Version, LimitsPolicy Limits, IReadOnlyList<PolicyDifference> Changes, string Reason,
    DateTimeOffset ChangedAt, string ChangedBy);

/// <summary>The policy's stream read as its history, newest first (the stream is short: one event a change).</summary>
public static class PolicyHistory
{
    public static async Task<IReadOnlyList<PolicyVersionView>> ReadAsync(IQuerySession query, CancellationToken ct) =>
        (await query.Events.FetchAsync(PolicyState.StreamId, ct: ct))
            .Where(e => e.Data is PolicyChanged)
            .Select(e => (Event: e, Change: (PolicyChanged)e.Data))
            .Select(x => new PolicyVersionView(x.Event.Version, x.Change.Current, PolicyDifferences.Between(x.Change.Previous, x.Change.Current),
                x.Change.Reason, x.Change.ChangedAt,
                x.Event.Headers?.TryGetValue(EventHeaders.Actor, out var actor) == true && actor is not null ? actor.ToString()! : x.Event.UserName ?? ""))
            .OrderByDescending(v => v.Version).ToList();

    public static RouteHandlerBuilder MapPolicyHistory(this RouteGroupBuilder policy) => policy
        .MapGet("/history", async (IQuerySession query, HttpContext http) => Results.Ok(await ReadAsync(query, http.RequestAborted)))
        .RequireAuthorization(AccessPolicies.StaffRead)
        .WithName("GetPolicyHistory")
        .WithSummary("Every version of the limits, newest first: the limits it set, each limit it changed (before and after), who changed it, when and why.")
        .Produces<List<PolicyVersionView>>();
}
