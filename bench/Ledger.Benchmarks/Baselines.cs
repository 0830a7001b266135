using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using JasperFx.Events;
using Marten;
using Npgsql;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>What this PostgreSQL and a bare Marten can do on this machine, measured in the same run as the ledger.</summary>
public static partial class Baselines
{
    /// <summary>pgbench: one-row durable inserts into an events-like table, or its select-only load.</summary>
    public static async Task<Measurement> PgBench(string scenario, NpgsqlConnectionStringBuilder target, int clients, TimeSpan duration, bool insert)
    {
        string script;
        if (insert)
        {
            await Sql(target.ConnectionString, "create table if not exists bench_events (stream_id uuid not null, version bigint not null, data jsonb not null, " +
                "unique (stream_id, version))");
            script = Path.GetTempFileName();
            await File.WriteAllTextAsync(script, "insert into bench_events values (gen_random_uuid(), 1, '{\"amount\": 12.34, \"description\": \"Bench\"}');\n");
        }
        else
        {
            Run("pgbench", $"-i -q -s 10 -h {target.Host} -p {target.Port} -U {target.Username} {target.Database}", target.Password!);
            script = "";
        }
        var cpu = new CpuSampler();
        var output = Run("pgbench", $"{(insert ? $"-f {script}" : "-S")} -n -c {clients} -j {Math.Min(clients, 2)} -T {(int)duration.TotalSeconds} -r " +
            $"-h {target.Host} -p {target.Port} -U {target.Username} {target.Database}", target.Password!);
        var tps = double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var latency = double.Parse(Latency().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"{scenario,-26} {clients,3} clients: [blue]{tps,8:F0}[/] tps  mean latency {latency:F2} ms");
        await Task.Delay(500); // pgbench's backends exit as it ends: let the postmaster reap them into this window
        var transactions = (long)(tps * duration.TotalSeconds);
        return new Measurement(scenario, clients, tps, latency, double.NaN, double.NaN, 0, transactions) { Cpu = cpu.Stop(transactions) };
    }

    /// <summary>
    /// Marten alone: one event per transaction with its expected version, each client on its own streams, no HTTP,
    /// no rules, no projections: the floor our write path stands on.
    /// </summary>
    public static async Task<Measurement> MartenAppend(NpgsqlConnectionStringBuilder target, int clients, TimeSpan duration)
    {
        var cpu = new CpuSampler();
        var store = DocumentStore.For(options =>
        {
            options.Connection(target.ConnectionString);
            options.DatabaseSchemaName = "bench_raw";
            options.Events.StreamIdentity = StreamIdentity.AsGuid;
            options.Events.AppendMode = EventAppendMode.Rich;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        var streams = Enumerable.Range(0, clients).Select(_ => (Id: Guid.CreateVersion7(), Version: 0L)).ToArray();
        var m = await Measurement.RunAsync("marten-append", clients, duration, async (c, _) =>
        {
            await using var session = store.LightweightSession();
            var (id, version) = streams[c];
            session.Events.Append(id, version + 1, new BenchCharge(id, 12.34m, "Bench"));
            await session.SaveChangesAsync();
            streams[c] = (id, version + 1);
            return true;
        });
        // Its connections close with the store: their backends' CPU belongs to this window, not the next scenario's.
        await store.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(500);
        m = m with { Cpu = cpu.Stop(m.Operations) };
        AnsiConsole.MarkupLine($"{"marten-append",-26} {clients,3} clients: [blue]{m.OpsPerSecond,8:F0}[/] ops/s  p50 {m.P50Ms:F1} ms  p99 {m.P99Ms:F1} ms");
        return m;
    }

    public static async Task Sql(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits (at most two minutes unless told) until the slowest async projection is within 100 events of the store.
    /// Only projection shards count: their rows are named "Projection:Key" (or "Projection:V2:Key"). Marten 9.5x also keeps
    /// its own bookkeeping there (HighWaterAllocationFence, and HighWaterStuckGap, which can stay far behind for good),
    /// and counting those made every wait run to its limit: two minutes per scenario, fifteen after the bulk load.
    /// </summary>
    public static async Task ProjectionsCaughtUp(string connectionString, TimeSpan? atMost = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < (atMost ?? TimeSpan.FromMinutes(2)) && await Scalar(connectionString,
                   """
                   select coalesce((select max(seq_id) from ledger.mt_events), 0)
                        - coalesce((select min(last_seq_id) from ledger.mt_event_progression where name like '%:%'), 0)
                   """) > 100)
            await Task.Delay(250);
        if (waited.Elapsed >= (atMost ?? TimeSpan.FromMinutes(2)))
            AnsiConsole.MarkupLine($"[yellow]async projections still more than 100 events behind after {waited.Elapsed.TotalSeconds:F0} s; measuring anyway[/]");
    }

    public static async Task<long> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static string Run(string file, string arguments, string password)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments} failed: {output}");
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex Latency();
}

public sealed record BenchCharge(Guid AccountId, decimal Amount, string Description);
