using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Ledger.Projections.Accounts;
using Marten;
using Marten.Events.Archiving;

namespace Ledger.Api.Accounts.TimeTravel;

/// <summary>The account exactly as it stood at one stream version, kept when a bill is issued.</summary>
public sealed record AccountCheckpoint(string Id, Guid AccountId, long Version, Account State)
{
    public static AccountCheckpoint At(Account state, long version) => new($"{state.Id}:{version}", state.Id, version, state with { Version = version });
}

/// <summary>
/// Time travel without replaying a long history: start from the latest checkpoint at or before the wanted version
/// (one per issued bill and one every <see cref="Writing.WriteBatch.CheckpointEvery"/> versions) and fold only
/// the events after it. With no checkpoint it is a replay from the opening.
/// </summary>
public static class AccountCheckpoints
{
    private static readonly AccountProjection Snapshot = new();

    public static async Task<Account?> AsOfAsync(IQuerySession query, Guid accountId, long? version, DateTimeOffset? asOf, CancellationToken ct)
    {
        var target = version ?? long.MaxValue;
        if (asOf is { } moment)
        {
            // MaybeArchived: Marten's event queries leave out archived streams' events unless asked (archive-closed).
            var atMoment = await query.Events.QueryAllRawEvents().Where(e => e.StreamId == accountId && e.Timestamp <= moment && e.MaybeArchived())
                .OrderByDescending(e => e.Version).Select(e => e.Version).FirstOrDefaultAsync(ct);
            if (atMoment == 0)
                return null;
            target = Math.Min(target, atMoment);
        }
        var checkpoint = await query.Query<AccountCheckpoint>().Where(c => c.AccountId == accountId && c.Version <= target)
            .OrderByDescending(c => c.Version).FirstOrDefaultAsync(ct);
        var events = await query.Events.FetchAsync(accountId, target == long.MaxValue ? 0 : target, (checkpoint?.Version ?? 0) + 1, ct);
        // Folded exactly as the inline snapshot is (hash-chain link included).
        var state = events.Aggregate(checkpoint?.State, (s, e) => Snapshot.Evolve(s, accountId, e));
        return state is null ? null : state with { Version = events.Count > 0 ? events[^1].Version : checkpoint!.Version };
    }
}
