using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>bench/results/&lt;date&gt;.md, .json and .png: every figure with its baseline ratio, and each target met or missed by how much.</summary>
public static class Report
{
    private static readonly string[] InsertBound = ["post-charge", "credit-in-limits", "credit-over-limit-approved"];
    private static readonly string[] SelectBound = ["account-summary", "entries-page", "reprint-pdf"];

    public static void Write(List<Measurement> results, TimeSpan duration, string command)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores (nproc), {duration.TotalSeconds:F0} s per point");
        md.AppendLine();
        md.AppendLine($"Command: `{command}`. API: Release build as its own process on localhost; load generator, API and PostgreSQL 15 share the machine.");
        md.AppendLine();
        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | verdict |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met, gap) in Targets(results))
            md.AppendLine($"| {target} | {measured} | {(met is null ? "not measured" : met.Value ? "met" : $"**missed** ({(gap < 1.1 ? gap.ToString("F2") : gap.ToString("F1"))}× off)")} |");
        md.AppendLine();
        md.AppendLine("## All figures");
        md.AppendLine();
        md.AppendLine("| scenario | clients | ops/s | p50 ms | p95 ms | p99 ms | errors | ratio to baseline | CPU ms/op: API / PostgreSQL / load gen |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var m in results)
        {
            var ratio = Baseline(results, m) is { } b ? $"{m.OpsPerSecond / b.OpsPerSecond:P1} of {b.Scenario}" : m.Note ?? "";
            var cpu = m.Cpu is { } c ? $"{c.ApiMs:F2} / {c.PostgresMs:F2} / {c.BenchMs:F2}" : "";
            md.AppendLine($"| {m.Scenario} | {m.Clients} | {m.OpsPerSecond:F0} | {F(m.P50Ms)} | {F(m.P95Ms)} | {F(m.P99Ms)} | {m.Errors} | {ratio} | {cpu} |");
        }
        md.AppendLine();
        md.AppendLine("## Where the time goes (16 clients, and the statement run)");
        md.AppendLine();
        md.AppendLine("CPU per operation by process, and the rate the machine could reach if that CPU were all it needed " +
                      $"({Environment.ProcessorCount} cores × 1,000 ms/s ÷ total CPU ms per operation). pgbench's client is counted with the load generator that starts it.");
        md.AppendLine();
        md.AppendLine("| scenario | API | PostgreSQL | load generator / pgbench | total ms/op | CPU-bound ceiling ops/s | measured ops/s |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var m in results.Where(m => (m.Clients == 16 || m.Scenario == "statement-run") && m.Cpu is not null))
        {
            var c = m.Cpu!;
            var client = c.BenchMs;
            var total = c.ApiMs + c.PostgresMs + client;
            md.AppendLine($"| {m.Scenario} | {c.ApiMs:F2} | {c.PostgresMs:F2} | {client:F2} | {total:F2} | " +
                          $"{(total > 0 ? Environment.ProcessorCount * 1000 / total : 0):F0} | {m.OpsPerSecond:F0} |");
        }
        md.AppendLine();
        md.AppendLine("pgbench rows give mean latency in the p50 column (pgbench reports no percentiles without per-transaction logs). " +
                      "Job rows (statement-run, projection-rebuild, seed-*) give items/s and their duration in the p50 column. " +
                      "CPU ms/op is user+system time of each process during the scenario divided by the operations done (from /proc).");

        var directory = Path.Combine(Paths.Root(), "bench", "results");
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        File.WriteAllText(stem + ".md", md.ToString());
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(results,
            new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Chart.Write(results, stem + ".png");
        AnsiConsole.WriteLine(md.ToString());
        AnsiConsole.MarkupLine($"Written to [green]{stem}.md[/], .json and .png");
    }

    public static Measurement? Baseline(List<Measurement> results, Measurement m) =>
        InsertBound.Contains(m.Scenario) ? results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients)
        : SelectBound.Contains(m.Scenario) ? results.FirstOrDefault(b => b.Scenario == "pgbench-select" && b.Clients == m.Clients)
        : m.Scenario == "marten-append" ? results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients)
        : null;

    /// <summary>Each target with its measured value, whether it was met, and how many times off it is (≥ 1).</summary>
    private static IEnumerable<(string Target, string Measured, bool? Met, double Gap)> Targets(List<Measurement> r)
    {
        static double AtLeast(double? value, double wanted) => value is > 0 ? Math.Max(1, wanted / value.Value) : double.PositiveInfinity;
        static double AtMost(double? value, double wanted) => value is { } v ? Math.Max(1, v / wanted) : double.PositiveInfinity;
        Measurement? Get(string s, int clients) => r.FirstOrDefault(m => m.Scenario == s && m.Clients == clients);
        Measurement? Only(string s) => r.FirstOrDefault(m => m.Scenario == s);
        double? Ratio(string s, int clients) => Get(s, clients) is { } m && Baseline(r, m) is { } b ? m.OpsPerSecond / b.OpsPerSecond : null;

        foreach (var clients in new[] { 16, 32 })
        {
            var ratio = Ratio("post-charge", clients);
            yield return ($"charge posting at {clients} clients ≥ 50 % of pgbench inserts", ratio is { } x ? $"{x:P1}" : "–", ratio >= 0.5, AtLeast(ratio, 0.5));
            var p99 = Get("post-charge", clients)?.P99Ms;
            yield return ($"charge p99 at {clients} clients ≤ 50 ms", p99 is { } p ? $"{p:F1} ms" : "–", p99 <= 50, AtMost(p99, 50));
        }
        var low = Get("post-charge", 4)?.P99Ms;
        yield return ("charge p99 at 4 clients (under half load) ≤ 15 ms", low is { } l ? $"{l:F1} ms" : "–", low <= 15, AtMost(low, 15));
        var summary = new[] { 16, 32 }.Select(c => Ratio("account-summary", c)).Max();
        yield return ("account summary ≥ 40 % of pgbench -S (best of 16/32 clients)", summary is { } s ? $"{s:P1}" : "–", summary >= 0.4, AtLeast(summary, 0.4));
        var (small, large) = (Only("summary-1k")?.P50Ms, Only("summary-100k")?.P50Ms);
        yield return ("summary p50 on a 100k-event account within 1.5× of a 1k-event one",
            small is { } a && large is { } z ? $"{z:F2} ms vs {a:F2} ms ({z / a:F2}×)" : "–", small is { } a2 && large is { } z2 ? z2 <= 1.5 * a2 : null, small is { } a3 && large is { } z3 ? Math.Max(1, z3 / a3 / 1.5) : double.PositiveInfinity);
        var asOf = Only("as-of-read-100k")?.P99Ms;
        yield return ("as-of read on a 100k-event account p99 ≤ 50 ms", asOf is { } o ? $"{o:F1} ms" : "–", asOf <= 50, AtMost(asOf, 50));
        var run = Only("statement-run")?.OpsPerSecond;
        yield return ("statement run ≥ 200 statements/s", run is { } rr ? $"{rr:F0}/s" : "–", run >= 200, AtLeast(run, 200));
        var reprint = r.Where(m => m.Scenario == "reprint-pdf").MinBy(m => m.Clients)?.P99Ms;
        yield return ("reprint p99 ≤ 30 ms (fewest clients measured)", reprint is { } rp ? $"{rp:F1} ms" : "–", reprint <= 30, AtMost(reprint, 30));
        var rebuild = Only("projection-rebuild");
        yield return ("projection rebuild ≥ 25,000 events/s over ≥ 1M events", rebuild is { } rb ? $"{rb.OpsPerSecond:F0} events/s over {rb.Operations:N0}" : "–",
            rebuild is null ? null : rebuild.OpsPerSecond >= 25_000 && rebuild.Operations >= 1_000_000, AtLeast(rebuild?.OpsPerSecond, 25_000));
        var seed = Only("seed-demo");
        yield return ("seeding 1,000 accounts with a year of activity ≤ 60 s", seed is { } sd ? $"{sd.P50Ms / 1000:F1} s for {sd.Operations:N0}" : "–",
            seed is null ? null : seed.P50Ms <= 60_000 && seed.Operations >= 1000, AtMost(seed?.P50Ms, 60_000));
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F1", CultureInfo.InvariantCulture);
}
