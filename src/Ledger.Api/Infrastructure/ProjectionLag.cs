using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// How far the async projections trail the event store, in events: checked by /health/ready and published
/// as the gauge <c>ledger.projection.lag</c> (<see cref="Telemetry.LedgerMetrics"/>).
/// </summary>
public sealed class ProjectionLag : BackgroundService, IHealthCheck
{
    public const int DegradedAbove = 1_000;
    private readonly IDocumentStore _store;
    private readonly IServiceProvider _services;

    public ProjectionLag(IDocumentStore store, IServiceProvider services)
    {
        _store = store;
        _services = services;
    }

    /// <summary>The lag of the database furthest behind (with several databases, each has its own sequence and daemon).</summary>
    public async Task<(long Lag, string Detail)> MeasureAsync(CancellationToken ct)
    {
        var databases = new List<(string? Name, Marten.Storage.IMartenDatabase Database)>();
        if (_services.GetService<Databases.DatabaseMap>() is { IsSharded: true } map)
            foreach (var named in map.Databases)
                databases.Add((named.Name, await _store.Storage.FindOrCreateDatabase(named.Name)));
        else
            databases.Add((null, _store.Storage.Database));
        var (lag, details) = (0L, new List<string>());
        foreach (var (name, database) in databases)
        {
            var statistics = await database.FetchEventStoreStatistics(ct);
            var progress = await database.AllProjectionProgress(ct);
            var shards = progress.Where(p => !p.ShardName.StartsWith("HighWaterMark", StringComparison.Ordinal)).ToList();
            lag = Math.Max(lag, shards.Count == 0 ? statistics.EventSequenceNumber : statistics.EventSequenceNumber - shards.Min(s => s.Sequence));
            var detail = string.Join(", ", shards.Select(s => $"{s.ShardName} at {s.Sequence}")) + $"; store at {statistics.EventSequenceNumber}";
            details.Add(name is null ? detail : $"{name}: {detail}");
        }
        Telemetry.LedgerMetrics.ProjectionLag(lag);
        return (lag, string.Join(" | ", details));
    }

    /// <summary>
    /// The projections and subscriptions running on this node: with several nodes, each runs on one of them (HotCold: the
    /// one holding its lock; Wolverine: the one the leader assigned it to), so the nodes' lists together name each exactly
    /// once. Empty on a node that runs none.
    /// </summary>
    public async Task<IReadOnlyList<string>> AgentsHereAsync()
    {
        // Wolverine-managed distribution: the shards are Wolverine agents, event-subscriptions://…/{name}/{key}.
        var wolverine = WolverineAgentsHere().Where(a => a.StartsWith("event-subscriptions://", StringComparison.Ordinal)).ToList();
        if (wolverine.Count > 0)
            return ((JasperFx.Events.IEventStore<IDocumentOperations, IQuerySession>)_store).AllShards()
                .Select(s => s.Name)
                .Where(n => wolverine.Any(a => a.EndsWith($"/{n.Name}/{n.ShardKey}", StringComparison.OrdinalIgnoreCase)))
                .Select(n => n.Identity).Order().ToList();
        if (_services.GetService<JasperFx.Events.Daemon.IProjectionCoordinator>() is not { } coordinator)
            return [];
        try
        {
            if (_services.GetService<Databases.DatabaseMap>() is not { IsSharded: true } map)
                return coordinator.DaemonForMainDatabase().CurrentAgents().Select(a => a.Name.Identity).Order().ToList();
            // Several databases: a daemon each, and each shard named with its database.
            var agents = new List<string>();
            foreach (var database in map.Databases)
                agents.AddRange((await coordinator.DaemonForDatabase(database.Name)).CurrentAgents().Select(a => $"{a.Name.Identity}@{database.Name}"));
            return agents.Order().ToList();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            return []; // no daemon started on this node (yet)
        }
    }

    /// <summary>
    /// Wolverine's agents on this node: <c>wolverinedb://…</c> is the durability agent that fires scheduled messages
    /// (approval expiries, notice retries) and recovers a dead node's inbox, on one node of the cluster at a time;
    /// <c>event-subscriptions://…</c> are projections when Wolverine distributes them.
    /// </summary>
    public IReadOnlyList<string> WolverineAgentsHere() =>
        _services.GetService<Wolverine.Runtime.IWolverineRuntime>() is { } runtime
            ? runtime.Agents.AllRunningAgentUris().Select(u => u.ToString()).Order().ToList()
            : [];

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var (lag, detail) = await MeasureAsync(ct);
        var data = new Dictionary<string, object> { ["lag"] = lag, ["agents"] = await AgentsHereAsync(), ["wolverineAgents"] = WolverineAgentsHere() };
        return lag > DegradedAbove
            ? HealthCheckResult.Degraded($"async projections {lag} events behind ({detail})", data: data)
            : HealthCheckResult.Healthy($"async projections {lag} events behind ({detail})", data);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await MeasureAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the database being away is reported by the readiness checks; the gauge keeps its last value
            }
        }
    }
}
