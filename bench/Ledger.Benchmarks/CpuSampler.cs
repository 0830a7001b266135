namespace Ledger.Benchmarks;

/// <summary>
/// Where the CPU went during a scenario: user+system time of the API process, of all PostgreSQL processes and of this
/// load generator (with pgbench, which it starts), read from /proc before and after. Divided by the operations done it says which side limits a
/// scenario on this machine (a profile of the whole system, not a guess).
/// </summary>
public sealed class CpuSampler
{
    private static readonly long TicksPerSecond = 100; // USER_HZ on Linux

    // The machine is shared: other sessions run their own Ledger.Api builds and tests on the same PostgreSQL cluster.
    // Only this tree's Release API counts as the API, and a backend (or autovacuum worker) of another database as other;
    // the cluster's background processes, and the backends it reaps (their time lands in the postmaster), stay PostgreSQL.
    /// <summary>The scratch database this run measures; set once by the run.</summary>
    public static string? Database { get; set; }
    private readonly Dictionary<(string Kind, int Pid), long> _start = Snapshot();

    /// <param name="operations">What the CPU is divided by.</param>
    /// <param name="commandTicks">
    /// A one-off API command that ran and exited in the window: reaped by this process, its time sits in the load
    /// generator's children's time, and it belongs to the API.
    /// </param>
    public CpuSplit Stop(long operations, long commandTicks = 0)
    {
        var end = Snapshot();
        var byKind = new Dictionary<string, long>();
        foreach (var (key, ticks) in end)
            byKind[key.Kind] = byKind.GetValueOrDefault(key.Kind) + ticks - _start.GetValueOrDefault(key);
        byKind["bench"] = Math.Max(0, byKind.GetValueOrDefault("bench") - commandTicks);
        byKind["api"] = byKind.GetValueOrDefault("api") + commandTicks;
        double PerOp(string kind) => operations == 0 ? 0 : byKind.GetValueOrDefault(kind) * 1000.0 / TicksPerSecond / operations;
        return new CpuSplit(PerOp("api"), PerOp("postgres"), PerOp("bench"), PerOp("other"));
    }

    /// <summary>User + system ticks of one live process, or null once it is gone.</summary>
    public static long? Ticks(int pid) => StatTicks($"/proc/{pid}");

    /// <summary>User + system ticks from a /proc process or thread directory's <c>stat</c>, or null once it is gone.</summary>
    public static long? StatTicks(string procDirectory)
    {
        try
        {
            var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11]) + long.Parse(fields[12]);
        }
        catch (IOException) { return null; }
    }

    /// <summary>"postgres: 15/main: user database host(port) state" or "postgres: 15/main: autovacuum worker database".</summary>
    private static bool OtherDatabase(string command)
    {
        var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var database = words is [_, _, "autovacuum", "worker", var d, ..] ? d
            : words is [_, _, _, var db, var host, ..] && (host.Contains('(') || host == "[local]") ? db
            : null;
        return Database is not null && database is not null && database != Database;
    }

    private static Dictionary<(string Kind, int Pid), long> Snapshot()
    {
        var result = new Dictionary<(string Kind, int Pid), long>();
        if (!OperatingSystem.IsLinux())
            return result;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
                continue;
            try
            {
                var command = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                // utime + stime, plus the reaped children's cutime + cstime: PostgreSQL backends that exit during the
                // scenario land in the postmaster's, and pgbench (our child) in this process's.
                var ticks = long.Parse(fields[11]) + long.Parse(fields[12]) + long.Parse(fields[13]) + long.Parse(fields[14]);
                var kind = command.Contains(LedgerProcess.Dll, StringComparison.Ordinal) ? "api"
                    : command.StartsWith("postgres", StringComparison.Ordinal) || command.Contains("/bin/postgres ") ? (OtherDatabase(command) ? "other" : "postgres")
                    : pid == Environment.ProcessId ? "bench"
                    : "other";
                result[(kind, pid)] = ticks;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return result;
    }
}

/// <summary>CPU milliseconds per operation, by process.</summary>
public sealed record CpuSplit(double ApiMs, double PostgresMs, double BenchMs, double OtherMs)
{
    /// <summary>The same CPU per a smaller unit (a request of 1,000 charges → per charge: factor = requests / charges).</summary>
    public CpuSplit Scaled(double factor) => new(ApiMs * factor, PostgresMs * factor, BenchMs * factor, OtherMs * factor);
}
