using Ledger.Api.Infrastructure.Databases;
using Ledger.Projections.Approvals;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.Persistence.Durability;

namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>
/// The gauges that need a query — approvals pending, the outbox's depth and the dead letters — read together every
/// <see cref="TelemetryOptions.GaugeRefresh"/> in the background and published from memory (<see cref="LedgerMetrics"/>), so a
/// scrape never waits on the database and scraping more often costs it nothing. Nothing is read while no exporter listens.
/// </summary>
public sealed class OperationalGauges(IDocumentStore store, IServiceProvider services, IOptions<TelemetryOptions> options,
    ILogger<OperationalGauges> log) : BackgroundService
{
    public async Task RefreshAsync(CancellationToken ct)
    {
        var pending = 0L;
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                pending += await query.Query<ApprovalView>().CountAsync(v => v.Status == ApprovalStatus.Pending, ct);
        // Wolverine's counts: an estimate from PostgreSQL's statistics for a large table, an exact count for a small one.
        var counts = services.GetService<IMessageStore>() is { } messages ? await messages.Admin.FetchCountsAsync() : null;
        LedgerMetrics.Operations(pending, counts?.Outgoing ?? 0, counts?.DeadLetter ?? 0);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.GaugeRefresh);
        do
        {
            if (!LedgerMetrics.Observed)
                continue;
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The readiness checks report the database being away; the gauges keep their last values.
                log.LogDebug(e, "Could not refresh the operational gauges");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
