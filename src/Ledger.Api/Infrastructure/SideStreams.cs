using Marten;
using Marten.Exceptions;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// The streams that sit beside an account (its notices, the copies of its bills) take appends from many handlers at
/// once that do not decide anything on the stream's state. They queue on the stream's row lock (Marten's
/// <c>AppendExclusive</c>) instead of racing on its version: a lost race would rerun the handler, and a handler that
/// has already sent an email would send it twice. Only the first appends to a new stream race to create it; the loser
/// gets <see cref="ExistingStreamIdCollisionException"/>, which the write retry policy reruns.
/// </summary>
public static class SideStreams
{
    public static async Task AppendQueuedAsync(IDocumentSession session, Guid streamId, object @event, CancellationToken ct)
    {
        await Databases.BucketMoves.ThrowIfMovingAsync(session, ct);
        try
        {
            await session.Events.AppendExclusive(streamId, ct, @event);
        }
        catch (NonExistentStreamException)
        {
            session.Events.StartStream(streamId, @event);
        }
    }
}
