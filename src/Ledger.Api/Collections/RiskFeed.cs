using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Collections;
using Marten;

namespace Ledger.Api.Collections;

/// <summary>
/// The <see cref="CancellationRiskChanged"/> events of every database as they are committed, handed to the brokers watching
/// on this node (their live pages, over server-sent events). Every node tails the event store itself, so a broker sees a
/// change whichever node recorded it. It reads up to Marten's high-water mark (the sequence below which no transaction is
/// still in flight), so an event committed late with a lower sequence is never skipped; it polls only while someone watches.
/// </summary>
public sealed class RiskFeed(IDocumentStore store, ILogger<RiskFeed> log) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, (string BrokerId, Channel<CancellationRiskChanged> Changes)> _watchers = new();

    // Where each database's tail stands; set when the first watcher comes, cleared when the last goes.
    private readonly Dictionary<string, long> _cursors = [];
    private readonly SemaphoreSlim _tailing = new(1, 1);

    public static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(500);

    /// <summary>The changes to <paramref name="brokerId"/>'s book from now on, until <paramref name="ct"/> ends the watch.</summary>
    public async IAsyncEnumerable<CancellationRiskChanged> WatchAsync(string brokerId, [EnumeratorCancellation] CancellationToken ct)
    {
        var id = Guid.NewGuid();
        // A slow reader drops its oldest changes, never the node's memory; the page reloads the book on each change anyway.
        var changes = Channel.CreateBounded<CancellationRiskChanged>(new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest });
        // Registered, and the tail placed, before the watch is answered: every change committed after this is delivered.
        await _tailing.WaitAsync(ct);
        try
        {
            _watchers[id] = (brokerId, changes);
            if (_cursors.Count == 0)
                await PollAsync(ct);
        }
        finally
        {
            _tailing.Release();
        }
        try
        {
            await foreach (var change in changes.Reader.ReadAllAsync(ct))
                yield return change;
        }
        finally
        {
            _watchers.TryRemove(id, out _);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(PollEvery, stoppingToken);
                await _tailing.WaitAsync(stoppingToken);
                try
                {
                    if (_watchers.IsEmpty)
                        _cursors.Clear(); // nobody watches: the next watcher starts from then
                    else
                        await PollAsync(stoppingToken);
                }
                finally
                {
                    _tailing.Release();
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning(e, "Reading cancellation-risk changes failed; trying again");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task PollAsync(CancellationToken ct)
    {
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                await TailAsync(query, ct);
    }

    private async Task TailAsync(IQuerySession query, CancellationToken ct)
    {
        var database = query.Database;
        var safe = (await database.AllProjectionProgress(ct)).FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence
                   ?? (await database.FetchEventStoreStatistics(ct)).EventSequenceNumber;
        if (!_cursors.TryGetValue(database.Id.Identity, out var cursor))
        {
            _cursors[database.Id.Identity] = safe;
            return;
        }
        var changes = await query.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > cursor && e.Sequence <= safe && e.EventTypeName == "cancellation_risk_changed")
            .OrderBy(e => e.Sequence).Take(1_000).ToListAsync(ct);
        foreach (var change in changes.Select(e => e.Data).OfType<CancellationRiskChanged>())
            foreach (var (_, (broker, channel)) in _watchers)
                if (broker == change.BrokerId)
                    channel.Writer.TryWrite(change);
        _cursors[database.Id.Identity] = changes.Count == 1_000 ? changes[^1].Sequence : Math.Max(cursor, safe);
    }
}
