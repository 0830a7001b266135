using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Npgsql;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Reads that may be served by a PostgreSQL hot standby (<c>Ledger:Database:ReadReplica</c>, a streaming replica of the
/// single ledger database) instead of the primary. Only two kinds qualify (docs/capacity.md, "Read replicas"):
/// <list type="bullet">
/// <item><see cref="LaggingAsync"/>: reads documented as behind the last commit anyway, such as the per-user audit log, which
/// an async projection writes, as long as the replica's last replayed commit is less than
/// <c>Ledger:Database:ReadReplicaMaxLag</c> (30 s by default) old: a standby whose replay is stuck or far behind must not
/// serve hours-old answers in silence (the primary commits every few seconds, Wolverine's heartbeats if nothing else);</item>
/// <item><see cref="ForMomentAsync"/>: an account as it stood at a moment the replica has certainly replayed past. An
/// event's timestamp is when its transaction began, and it commits a little later, so the moment must lie more than
/// <c>Ledger:Database:ReadReplicaMargin</c> (a minute by default) before the replica's last replayed commit.</item>
/// </list>
/// Everything else (the write path and its checks, ETags for If-Match, reading one's own write, approvals, runs, webhooks,
/// the feed, anchors) reads the primary. A replica that is down, behind or failing costs nothing but the fall-back: the
/// read is done on the primary.
/// </summary>
public sealed class ReplicaReads : IAsyncDisposable
{
    public const string ConnectionKey = "Ledger:Database:ReadReplica";
    public const string MarginKey = "Ledger:Database:ReadReplicaMargin";
    public const string MaxLagKey = "Ledger:Database:ReadReplicaMaxLag";

    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(1);
    private readonly NpgsqlDataSource? replica;
    private readonly NpgsqlDataSource? probe;
    private readonly TimeSpan margin;
    private readonly TimeSpan maxLag;
    private readonly TimeProvider clock;
    private readonly ILogger<ReplicaReads> log;
    private readonly SemaphoreSlim probing = new(1, 1);
    private (DateTimeOffset CheckedAt, bool Up, DateTimeOffset? ReplayedTo) last = (DateTimeOffset.MinValue, false, null);

    public ReplicaReads(IConfiguration configuration, TimeProvider clock, ILogger<ReplicaReads> log)
    {
        this.clock = clock;
        this.log = log;
        margin = configuration.GetValue(MarginKey, TimeSpan.FromMinutes(1));
        maxLag = configuration.GetValue(MaxLagKey, TimeSpan.FromSeconds(30));
        if (configuration[ConnectionKey] is not { Length: > 0 } configured)
            return;
        // A standby that does not answer must not hold a reader up for the default 15 s before the primary answers.
        var settings = new NpgsqlConnectionStringBuilder(configured);
        settings.Timeout = Math.Min(settings.Timeout, 3);
        settings.ApplicationName = ApplicationName;
        replica = NpgsqlDataSource.Create(settings.ConnectionString);
        settings.ApplicationName = ProbeApplicationName;
        probe = NpgsqlDataSource.Create(settings.ConnectionString);
    }

    /// <summary>How the replica's connections name themselves in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "ledger replica reads";

    /// <summary>How the connection that asks the replica how far it has replayed names itself.</summary>
    public const string ProbeApplicationName = "ledger replica probe";

    public async ValueTask DisposeAsync()
    {
        if (replica is not null)
            await replica.DisposeAsync();
        if (probe is not null)
            await probe.DisposeAsync();
    }

    /// <summary>
    /// <paramref name="read"/> on the replica, a read allowed to lag a little; on <paramref name="primary"/> when there is
    /// none up, or its last replayed commit is older than the maximum lag.
    /// </summary>
    public async Task<T> LaggingAsync<T>(IQuerySession primary, Func<IQuerySession, Task<T>> read, CancellationToken ct) =>
        await ProbeAsync(ct) is { Up: true, ReplayedTo: { } replayed } && replayed >= clock.GetUtcNow() - maxLag
            ? await OnReplicaAsync(primary, read, ct)
            : await read(primary);

    /// <summary>
    /// <paramref name="read"/> on the replica when it has replayed well past <paramref name="moment"/> (so that every
    /// transaction that began by then is there), else on <paramref name="primary"/>.
    /// </summary>
    public async Task<T> ForMomentAsync<T>(IQuerySession primary, DateTimeOffset moment, Func<IQuerySession, Task<T>> read, CancellationToken ct) =>
        await ProbeAsync(ct) is { Up: true, ReplayedTo: { } replayed } && moment < replayed - margin
            ? await OnReplicaAsync(primary, read, ct)
            : await read(primary);

    /// <summary>
    /// A replica that goes away between the probe and the read, or cancels the query for a conflict with recovery, costs
    /// the reader nothing but the time: the read is done again on the primary, and the replica is left alone until probed
    /// again. Any failure counts, whatever its type (a dying server surfaces as Npgsql, socket, stream or Marten
    /// exceptions): the read is harmless to repeat, and a fault of the read itself fails on the primary too.
    /// </summary>
    private async Task<T> OnReplicaAsync<T>(IQuerySession primary, Func<IQuerySession, Task<T>> read, CancellationToken ct)
    {
        try
        {
            // Marten uses a connection it is given only when it is open (a closed one, or ForConnectionString, it replaces
            // with one to the store's own database).
            await using var connection = await replica!.OpenConnectionAsync(ct);
            await using var session = primary.DocumentStore.QuerySession(SessionOptions.ForConnection(connection));
            return await read(session);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Read replica failed a read, reading from the primary");
            last = (clock.GetUtcNow(), false, null);
            // Connections the dead server held are of no use to anyone now.
            replica!.Clear();
            return await read(primary);
        }
    }

    private async Task<(bool Up, DateTimeOffset? ReplayedTo)> ProbeAsync(CancellationToken ct)
    {
        if (probe is null)
            return (false, null);
        if (clock.GetUtcNow() - last.CheckedAt < CacheFor)
            return (last.Up, last.ReplayedTo);
        await probing.WaitAsync(ct);
        try
        {
            if (clock.GetUtcNow() - last.CheckedAt < CacheFor)
                return (last.Up, last.ReplayedTo);
            (bool Up, DateTimeOffset? ReplayedTo) found;
            try
            {
                await using var connection = await probe.OpenConnectionAsync(ct);
                await using var command = new NpgsqlCommand("select pg_is_in_recovery(), pg_last_xact_replay_timestamp()", connection);
                await using var reader = await command.ExecuteReaderAsync(ct);
                await reader.ReadAsync(ct);
                // Pointed at a primary by mistake it is not a replica, and a read there is as good as any: no replay to wait for.
                found = reader.GetBoolean(0)
                    ? (true, reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1))
                    : (true, DateTimeOffset.MaxValue);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (last.Up || last.CheckedAt == DateTimeOffset.MinValue)
                    log.LogWarning("Read replica unreachable, reading from the primary: {Error}", e.GetBaseException().Message);
                probe.Clear();
                found = (false, null);
            }
            last = (clock.GetUtcNow(), found.Up, found.ReplayedTo);
            return found;
        }
        finally
        {
            probing.Release();
        }
    }
}
