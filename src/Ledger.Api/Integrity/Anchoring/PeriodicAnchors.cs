using Marten;
using Npgsql;
using Weasel.Postgresql;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>
/// Takes an anchor every <see cref="IntegrityOptions.AnchorInterval"/>, counting from the newest one on disk (so a restart
/// neither skips one nor takes an extra one). A hosted service, not a scheduled Wolverine message: the anchor is a file in
/// this node's anchor directory, and a durable message could be run by whichever node picks it up. Nodes that share the
/// directory (a shared volume) take each anchor once between them.
/// </summary>
public sealed class PeriodicAnchors(IDocumentStore store, AnchorSigning signing, AnchorStore files, TimeProvider clock, ILogger<PeriodicAnchors> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await NextDueAsync(stoppingToken) - clock.GetUtcNow();
                if (due > TimeSpan.Zero)
                    await Task.Delay(due, clock, stoppingToken);
                await TakeUnlessTakenAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                log.LogError(e, "Taking the periodic anchor failed; trying again in a minute");
                await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// Several nodes sharing one anchor directory take each anchor once: under a PostgreSQL advisory lock, the node that
    /// comes second finds the first one's anchor in the directory, not yet due again, and takes none.
    /// </summary>
    private async Task TakeUnlessTakenAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var connection = (NpgsqlConnection)session.Connection!;
        await connection.GetGlobalLock(AnchoringLock, ct);
        try
        {
            if (await NextDueAsync(ct) > clock.GetUtcNow())
                return;
            var (anchor, file) = await TakingAnchors.TakeAsync(store, signing, files, "system:periodic-anchor", clock, ct);
            log.LogInformation("Anchored {Streams} account streams in {File}", anchor.StreamCount, file);
        }
        finally
        {
            await connection.ReleaseGlobalLock(AnchoringLock, CancellationToken.None);
        }
    }

    // Next to the statement-run scheduling lock (Statements/ScheduledStatementRuns.cs); no other lock uses it.
    private const int AnchoringLock = 0x1ED6E558;

    private async Task<DateTimeOffset> NextDueAsync(CancellationToken ct)
    {
        foreach (var name in files.Names())
            if ((await files.ReadAsync(name, ct)).Anchor is { } newest)
                return newest.TakenAt + signing.Interval;
        return clock.GetUtcNow();
    }
}
