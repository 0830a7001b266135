using System.Diagnostics;

namespace Ledger.Benchmarks;

public sealed record Measurement(string Scenario, int Clients, double OpsPerSecond, double P50Ms, double P95Ms, double P99Ms, long Errors, long Operations)
{
    /// <summary>CPU per operation by process, when sampled.</summary>
    public CpuSplit? Cpu { get; init; }

    /// <summary>Free text for one-off scenarios (sizes, what was counted).</summary>
    public string? Note { get; init; }

    /// <summary>Why the scenario could not be measured in this run (e.g. its route is not in this build); no figures then.</summary>
    public string? NotRun { get; init; }

    /// <summary>The serving API's peak RSS (MB) when the scenario ended: where it jumps, that scenario raised it.</summary>
    public double? ApiPeakMbSoFar { get; init; }

    /// <summary>Runs <paramref name="operation"/> from <paramref name="clients"/> concurrent loops for <paramref name="duration"/>.</summary>
    public static async Task<Measurement> RunAsync(string scenario, int clients, TimeSpan duration, Func<int, long, Task<bool>> operation)
    {
        var latencies = new List<double>[clients];
        var errors = 0L;
        var cpu = new CpuSampler();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(4096);
            for (long i = 0; stopwatch.Elapsed < duration; i++)
            {
                var started = Stopwatch.GetTimestamp();
                bool ok;
                try { ok = await operation(c, i); }
                catch (Exception) { ok = false; }
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok) Interlocked.Increment(ref errors);
            }
        })));
        var elapsed = stopwatch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(p * all.Length) - 1)];
        return new Measurement(scenario, clients, all.Length / elapsed, Percentile(0.50), Percentile(0.95), Percentile(0.99), errors, all.Length)
        {
            Cpu = cpu.Stop(all.Length),
            ApiPeakMbSoFar = PeakMemory.ServingSoFar(),
        };
    }

    public static Measurement NotMeasured(string scenario, int clients, string reason) =>
        new(scenario, clients, 0, double.NaN, double.NaN, double.NaN, 0, 0) { NotRun = reason };

    /// <summary>A one-off job (a statement run, a rebuild, a seeding): its rate and duration.</summary>
    public static Measurement Job(string scenario, int clients, long items, TimeSpan elapsed, long errors, string note) =>
        new(scenario, clients, items / elapsed.TotalSeconds, elapsed.TotalMilliseconds, double.NaN, double.NaN, errors, items) { Note = note };
}
