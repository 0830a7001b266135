namespace Ledger.Benchmarks;

/// <summary>A target, what this run measured for it, whether it was met (null: not measured), and how many times off it is (≥ 1).</summary>
public sealed record Verdict(string Target, string Measured, bool? Met, double Gap);

/// <summary>The targets each run is judged by: issue 18's, and issue #10's earlier ones, each from this run's own figures.</summary>
public static class Targets
{
    public static IEnumerable<Verdict> Issue18(List<Measurement> r, List<MemoryPeak> memory)
    {
        yield return RatioAtLeast(r, "post-charge", 16, 0.35, "charges at 16 clients ≥ 35 % of pgbench inserts");
        yield return P99AtMost(r, "post-charge", 32, 50, "charge p99 at 32 clients ≤ 50 ms");
        yield return RatioAtLeast(r, "credit-in-limits", 16, 0.25, "credits within limits at 16 clients ≥ 25 % of pgbench inserts");
        yield return RatioAtLeast(r, "hot-account", 16, 0.50, "hot account at 16 clients ≥ 50 % of the many-account charge rate (post-charge)");
        yield return RatioAtLeast(r, "bulk-charges", 16, 1.00, "bulk charges at 16 clients ≥ 100 % of pgbench one-row inserts (charges/s)");
        yield return RatioAtLeast(r, "account-summary", 16, 0.30, "account summary at 16 clients ≥ 30 % of pgbench -S");
        yield return StatementRun(r);
        yield return Rebuild(r);
        var collections = Only(r, "collections-run");
        yield return new("collections run over 10,000 accounts ≥ 1,000 accounts/s (issue 22)",
            collections is { } c ? $"{c.OpsPerSecond:F0} accounts/s over {c.Operations:N0}" : "–", Is(collections?.OpsPerSecond, v => v >= 1_000),
            AtLeast(collections?.OpsPerSecond, 1_000));
        var consolidated = Only(r, "consolidated-bill");
        yield return new("a consolidated bill over 1,000 members ≤ 2 s (issue 24)",
            consolidated is { } b ? $"{b.P50Ms / 1000:F2} s" : "–", Is(consolidated?.P50Ms, v => v <= 2_000),
            AtMost(consolidated?.P50Ms, 2_000));
        var simulation = Only(r, "policy-simulation");
        yield return new("policy simulation over 90 days of the 1,000-account demo data < 10 s (issue 25)",
            simulation is { } s ? $"{s.P50Ms / 1000:F2} s ({s.Operations:N0} decisions)" : "–", Is(simulation?.P50Ms, v => v < 10_000), AtMost(simulation?.P50Ms, 10_000));
        var api = memory.FirstOrDefault(m => m.Process == PeakMemory.Serving);
        yield return new Verdict($"API peak RSS ≤ {PeakMemory.ApiTargetMegabytes:F0} MB", api is { } a ? $"{a.Megabytes:F0} MB" : "–",
            Is(api?.Megabytes, v => v <= PeakMemory.ApiTargetMegabytes), AtMost(api?.Megabytes, PeakMemory.ApiTargetMegabytes));
    }

    public static IEnumerable<Verdict> Issue10(List<Measurement> r)
    {
        foreach (var clients in new[] { 16, 32 })
        {
            yield return RatioAtLeast(r, "post-charge", clients, 0.5, $"charge posting at {clients} clients ≥ 50 % of pgbench inserts");
            yield return P99AtMost(r, "post-charge", clients, 50, $"charge p99 at {clients} clients ≤ 50 ms");
        }
        yield return P99AtMost(r, "post-charge", 4, 15, "charge p99 at 4 clients (under half load) ≤ 15 ms");
        var summary = new[] { 16, 32 }.Select(c => Ratio(r, "account-summary", c)).Max();
        yield return new("account summary ≥ 40 % of pgbench -S (best of 16/32 clients)", summary is { } s ? $"{s:P1}" : "–", Is(summary, v => v >= 0.4), AtLeast(summary, 0.4));
        var (small, large) = (Only(r, "summary-1k")?.P50Ms, Only(r, "summary-100k")?.P50Ms);
        yield return new("summary p50 on a 100k-event account within 1.5× of a 1k-event one",
            small is { } a && large is { } z ? $"{z:F2} ms vs {a:F2} ms ({z / a:F2}×)" : "–", Is(large / small, v => v <= 1.5), AtMost(large / small, 1.5));
        var asOf = Only(r, "as-of-read-100k")?.P99Ms;
        yield return new("as-of read on a 100k-event account p99 ≤ 50 ms", asOf is { } o ? $"{o:F1} ms" : "–", Is(asOf, v => v <= 50), AtMost(asOf, 50));
        yield return StatementRun(r);
        var reprint = r.Where(m => m.Scenario == "reprint-pdf").MinBy(m => m.Clients)?.P99Ms;
        yield return new("reprint p99 ≤ 30 ms (fewest clients measured)", reprint is { } rp ? $"{rp:F1} ms" : "–", Is(reprint, v => v <= 30), AtMost(reprint, 30));
        yield return Rebuild(r);
        var seed = Only(r, "seed-demo");
        yield return new("seeding 1,000 accounts with a year of activity ≤ 60 s", seed is { } sd ? $"{sd.P50Ms / 1000:F1} s for {sd.Operations:N0}" : "–",
            seed is null ? null : seed.P50Ms <= 60_000 && seed.Operations >= 1000, AtMost(seed?.P50Ms, 60_000));
    }

    private static Verdict StatementRun(List<Measurement> r)
    {
        var run = Only(r, "statement-run")?.OpsPerSecond;
        return new("statement run ≥ 200 statements/s (PDF included)", run is { } rr ? $"{rr:F0}/s" : "–", Is(run, v => v >= 200), AtLeast(run, 200));
    }

    private static Verdict Rebuild(List<Measurement> r)
    {
        var rebuild = Only(r, "projection-rebuild");
        return new("projection rebuild ≥ 25,000 events/s over ≥ 1M events", rebuild is { } rb ? $"{rb.OpsPerSecond:F0} events/s over {rb.Operations:N0}" : "–",
            rebuild is null ? null : rebuild.OpsPerSecond >= 25_000 && rebuild.Operations >= 1_000_000, AtLeast(rebuild?.OpsPerSecond, 25_000));
    }

    private static Verdict RatioAtLeast(List<Measurement> r, string scenario, int clients, double wanted, string target)
    {
        if (Get(r, scenario, clients) is { NotRun: { } why })
            return new(target, $"not measured: {why}", null, double.PositiveInfinity);
        var ratio = Ratio(r, scenario, clients);
        var of = Get(r, scenario, clients) is { } m && Report.Baseline(r, m) is { } b ? $" ({m.OpsPerSecond:F0} vs {b.OpsPerSecond:F0} {b.Scenario})" : "";
        return new(target, ratio is { } x ? $"{x:P1}{of}" : "–", Is(ratio, v => v >= wanted), AtLeast(ratio, wanted));
    }

    private static Verdict P99AtMost(List<Measurement> r, string scenario, int clients, double ms, string target)
    {
        var p99 = Get(r, scenario, clients)?.P99Ms;
        return new(target, p99 is { } p ? $"{p:F1} ms" : "–", Is(p99, v => v <= ms), AtMost(p99, ms));
    }

    private static double? Ratio(List<Measurement> r, string scenario, int clients) =>
        Get(r, scenario, clients) is { NotRun: null } m && Report.Baseline(r, m) is { OpsPerSecond: > 0 } b ? m.OpsPerSecond / b.OpsPerSecond : null;

    private static Measurement? Get(List<Measurement> r, string scenario, int clients) => r.FirstOrDefault(m => m.Scenario == scenario && m.Clients == clients);
    private static Measurement? Only(List<Measurement> r, string scenario) => r.FirstOrDefault(m => m.Scenario == scenario);
    /// <summary>Met or missed; null when the run did not measure it (never a "missed" for a scenario left out by --only).</summary>
    private static bool? Is(double? value, Func<double, bool> met) => value is { } v ? met(v) : null;
    private static double AtLeast(double? value, double wanted) => value is > 0 ? Math.Max(1, wanted / value.Value) : double.PositiveInfinity;
    private static double AtMost(double? value, double wanted) => value is { } v ? Math.Max(1, v / wanted) : double.PositiveInfinity;
}
