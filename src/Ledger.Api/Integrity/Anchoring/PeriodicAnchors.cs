using Marten;
using Npgsql;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>
/// Takes an anchor every <see cref="IntegrityOptions.AnchorInterval"/>, counting from the newest one on disk (so a restart
/// neither skips one nor takes an extra one). A hosted service, not a scheduled Wolverine message: the anchor is a file on
/// this node's disk, and a durable message could be run by whichever node picks it up.
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
                var (anchor, file) = await TakingAnchors.TakeAsync(store, signing, files, "system:periodic-anchor", clock, stoppingToken);
                log.LogInformation("Anchored {Streams} account streams in {File}", anchor.StreamCount, file);
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

    private async Task<DateTimeOffset> NextDueAsync(CancellationToken ct)
    {
        foreach (var name in files.Names())
            if ((await files.ReadAsync(name, ct)).Anchor is { } newest)
                return newest.TakenAt + signing.Interval;
        return clock.GetUtcNow();
    }
}
