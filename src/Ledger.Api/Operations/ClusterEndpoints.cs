using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.Runtime;

namespace Ledger.Api.Operations;

/// <summary>A node of the cluster as Wolverine's node table and PostgreSQL's sessions show it.</summary>
/// <param name="Id">Its Wolverine node id (new at every start).</param>
/// <param name="Number">Its number in Wolverine's node table.</param>
/// <param name="Leader">Whether it leads: the leader assigns Wolverine's agents to the nodes.</param>
/// <param name="This">Whether it is the node that answered this request.</param>
/// <param name="Started">When it started.</param>
/// <param name="LastHeartbeat">Its last heartbeat; a node 15 s stale is dead and its work is taken over.</param>
/// <param name="Agents">Wolverine's agents assigned to it: <c>wolverinedb://…</c> runs the scheduled messages;
/// <c>event-subscriptions://…</c> are projections when Wolverine distributes them.</param>
/// <param name="Connections">Its open connections to the database (the sessions named after it).</param>
/// <param name="Locks">What the PostgreSQL advisory locks it holds are for (Marten's HotCold daemon holds one per
/// projection or subscription it runs).</param>
public sealed record ClusterNode(Guid Id, int Number, bool Leader, bool This, DateTimeOffset Started, DateTimeOffset LastHeartbeat,
    IReadOnlyList<string> Agents, int Connections, IReadOnlyList<string> Locks);

/// <summary>How the connections of N nodes fit the server (docs/operations.md, "Connections").</summary>
public sealed record ConnectionBudget(int MaxConnections, int Reserved, int PerNode, int Nodes, int InUse, bool Fits);

/// <summary>A database of the ledger: the buckets it holds and the sessions open on it now.</summary>
public sealed record ClusterDatabase(string Name, bool Main, IReadOnlyList<int> Buckets, int Sessions);

public sealed record ClusterView(string ProjectionDistribution, IReadOnlyList<ClusterNode> Nodes, ConnectionBudget Connections,
    IReadOnlyList<ClusterDatabase> Databases);

/// <summary>
/// The cluster for admins: every serving node, which one leads, what each runs, and whether their connection pools fit
/// the server's <c>max_connections</c>. Built from Wolverine's node table and PostgreSQL's own session and lock views,
/// each node's sessions being named after its Wolverine node id (<see cref="MartenSetup.NodeApplicationName"/>).
/// </summary>
public static class ClusterEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/operations/cluster", async (IMessageStore messages, IWolverineRuntime runtime, IDocumentStore store, DatabaseMap map,
                IConfiguration configuration, HttpContext http) =>
            {
                var ct = http.RequestAborted;
                var nodes = await messages.Nodes.LoadAllNodesAsync(ct);
                // One connection per database for the looks at it (its sessions and locks; the main one's settings too).
                var sessions = new List<Session>();
                var databases = new List<ClusterDatabase>();
                foreach (var database in map.Databases)
                {
                    await using var query = map.IsSharded
                        ? store.QuerySession(Marten.Services.SessionOptions.ForDatabase(await store.Storage.FindOrCreateDatabase(database.Name)))
                        : store.QuerySession();
                    var here = await Sessions(query, map.IsSharded ? database.Name : null, ct);
                    sessions.AddRange(here);
                    databases.Add(new ClusterDatabase(database.Name, database.IsMain, database.Buckets, here.Count));
                }
                var views = nodes.OrderBy(n => n.AssignedNodeNumber).Select(n =>
                {
                    var mine = sessions.Where(s => s.ApplicationName == MartenSetup.NodeApplicationName(n.NodeId)).ToList();
                    return new ClusterNode(n.NodeId, n.AssignedNodeNumber, n.IsLeader(), n.NodeId == runtime.Options.UniqueNodeId, n.Started,
                        n.LastHealthCheck, n.ActiveAgents.Select(a => a.ToString()).Where(a => !a.StartsWith("wolverine://leader", StringComparison.Ordinal))
                            .Order().ToList(),
                        mine.Count, mine.SelectMany(s => s.Locks.Select(l => (s.Database is null ? "" : $"{s.Database} ") + LockName(store, l))).Order().ToList());
                }).ToList();
                await using var main = store.QuerySession();
                var budget = await Budget(main, store, map, views.Count, sessions.Count(s => s.OnMainServer(map)), ct);
                return Results.Ok(new ClusterView(configuration.GetValue("Ledger:Projections:Distribution", "HotCold")!, views, budget, databases));
            })
            .WithTags("Operations").RequireAuthorization(AccessPolicies.Admin)
            .WithName("GetCluster").Produces<ClusterView>()
            .WithSummary("The serving nodes: which leads, what each runs (projections, scheduled messages), their connections, and whether N nodes' pools fit max_connections.");
    }

    private sealed record Session(string ApplicationName, List<long> Locks, string? Database)
    {
        public bool OnMainServer(DatabaseMap map) => Database is null || SameServer(map.Databases.Single(d => d.Name == Database), map.Main);
    }

    private static bool SameServer(LedgerDatabase a, LedgerDatabase b)
    {
        var (x, y) = (new NpgsqlConnectionStringBuilder(a.ConnectionString), new NpgsqlConnectionStringBuilder(b.ConnectionString));
        return string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase) && x.Port == y.Port;
    }

    private static async Task<List<Session>> Sessions(IQuerySession session, string? database, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)session.Connection!;
        if (connection.State != System.Data.ConnectionState.Open)
            await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            select a.application_name, array_remove(array_agg((l.classid::bigint << 32) | l.objid::bigint), null)
            from pg_stat_activity a
            left join pg_locks l on l.pid = a.pid and l.locktype = 'advisory' and l.granted
            where a.datname = current_database()
            group by a.pid, a.application_name
            """, connection);
        var sessions = new List<Session>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            sessions.Add(new Session(reader.GetString(0), [.. reader.GetFieldValue<long[]>(1)], database));
        return sessions;
    }

    private static string LockName(IDocumentStore store, long id) =>
        id == ((DocumentStore)store).Options.Projections.DaemonLockId
            ? $"{id}: the async daemon's leadership"
            : $"{id}: a projection or subscription, or a short job (statement-run scheduling, the periodic anchor)";

    /// <summary>
    /// The rule of docs/operations.md for the main database's server: a node's pool to each database on that server,
    /// Wolverine's own pool to the main one when there are several, and the health checks' pool.
    /// </summary>
    private static async Task<ConnectionBudget> Budget(IQuerySession session, IDocumentStore store, DatabaseMap map, int nodes, int inUse,
        CancellationToken ct)
    {
        var settings = await session.QueryAsync<int>(
            "select setting::int from pg_settings where name in ('max_connections', 'superuser_reserved_connections') order by name", ct);
        var (max, reserved) = (settings[0], settings[1]);
        var pool = MartenSetup.MaxPoolSizeOf(store);
        var perNode = pool * map.Databases.Count(d => SameServer(d, map.Main)) + (map.IsSharded ? pool : 0) + Health.HealthPoolSize;
        return new ConnectionBudget(max, reserved, perNode, nodes, inUse, nodes * perNode <= max - reserved - perNode);
    }
}
