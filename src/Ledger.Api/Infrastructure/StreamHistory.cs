using JasperFx.Events;
using Marten;
using Marten.Events;
using Marten.Events.Archiving;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// A stream's events, archived or not. Marten's <c>FetchStreamAsync</c> leaves out the events of an archived stream,
/// and a closed account's stream is archived (archive-closed) while its history, its bills, its chain and its webhooks
/// must still read in full: every read of an account's events goes through here.
/// </summary>
public static class StreamHistory
{
    /// <summary>Versions <paramref name="fromVersion"/> to <paramref name="toVersion"/> (0: to the last), in order.</summary>
    public static async Task<IReadOnlyList<IEvent>> FetchAsync(this Marten.Events.IQueryEventStore events, Guid streamId, long toVersion = 0, long fromVersion = 0,
        CancellationToken ct = default)
    {
        var query = events.QueryAllRawEvents().Where(e => e.StreamId == streamId && e.MaybeArchived());
        if (fromVersion > 1)
            query = query.Where(e => e.Version >= fromVersion);
        if (toVersion > 0)
            query = query.Where(e => e.Version <= toVersion);
        return await query.OrderBy(e => e.Version).ToListAsync(ct);
    }
}
