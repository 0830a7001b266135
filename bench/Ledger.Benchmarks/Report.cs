using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>bench/results/&lt;date&gt;.md, .json and .png: every figure with its baseline ratio, and each target met or missed by how much.</summary>
public static class Report
{
    private static readonly string[] InsertBound = ["post-charge", "credit-in-limits", "credit-over-limit-approved", "bulk-charges", "import", "cluster-1-node"];
    // A re-run of an import finds every line already imported: one read of its idempotency record each, no write.
    private static readonly string[] SelectBound = ["account-summary", "entries-page", "reprint-pdf", "import-rerun"];

    /// <summary>The request scenarios read against pgbench (directly, or through post-charge as hot-account is).</summary>
    public static readonly string[] PgBenchBound = [.. InsertBound, .. SelectBound, "hot-account"];

    public static void Write(List<Measurement> results, TimeSpan duration, string command, string[]? only = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores (nproc), {duration.TotalSeconds:F0} s per point");
        md.AppendLine();
        md.AppendLine($"Command: `{command}`. API: Release build as its own process on localhost; load generator, API and PostgreSQL 15 share the machine.");
        md.AppendLine();
        var memory = PeakMemory.All();
        TargetTable(md, "Targets (issue 18)", Targets.Issue18(results, memory));
        TargetTable(md, "Issue #10's targets", Targets.Issue10(results));
        md.AppendLine("## Peak memory (VmHWM: the most resident memory each process held, over its life)");
        md.AppendLine();
        md.AppendLine("| process | peak RSS | target |");
        md.AppendLine("|---|---:|---|");
        foreach (var p in memory)
            md.AppendLine($"| {p.Process} | {p.Megabytes:F0} MB | {(p.TargetMegabytes is { } t ? $"≤ {t:F0} MB: {(p.Megabytes <= t ? "met" : "**missed**")}" : "")} |");
        md.AppendLine();
        md.AppendLine("## All figures");
        md.AppendLine();
        md.AppendLine("| scenario | clients | ops/s | p50 ms | p95 ms | p99 ms | errors | ratio to baseline | CPU ms/op: API / PostgreSQL / load gen | API peak RSS so far |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|---|---:|");
        foreach (var m in results)
        {
            var ratio = m.NotRun is { } why ? $"not measured: {why}" : string.Join("; ", new[] { Ratios(results, m), m.Note }.Where(t => !string.IsNullOrEmpty(t)));
            var cpu = m.Cpu is { } c ? $"{c.ApiMs:F2} / {c.PostgresMs:F2} / {c.BenchMs:F2}" : "";
            md.AppendLine($"| {m.Scenario} | {m.Clients} | {m.OpsPerSecond:F0} | {F(m.P50Ms)} | {F(m.P95Ms)} | {F(m.P99Ms)} | {m.Errors} | {ratio} | {cpu} | {(m.ApiPeakMbSoFar is { } rss ? $"{rss:F0} MB" : "")} |");
        }
        md.AppendLine();
        var explained = results.Where(m => (m.Clients == 16 || m.Scenario is "statement-run" or "projection-rebuild") && m.Cpu is not null).ToList();
        if (explained.Count > 0)
            WhereTheTimeGoes(md, explained);
        md.AppendLine("pgbench rows give mean latency in the p50 column (pgbench reports no percentiles without per-transaction logs). " +
                      "Job rows (statement-run, projection-rebuild, seed-*, import*) give items/s and their duration in the p50 column; " +
                      "import gives facts (lines) per second from the command's report, without the process's start-up, at --parallel = its clients; " +
                      "import-rerun, the same file again (all already imported, one read per line), is read against pgbench -S. " +
                      "bulk-charges gives charges applied per second (requests of 1,000), its latencies per request, its errors in charges not applied " +
                      "and its CPU per charge; hot-account is read against post-charge at the same client count. " +
                      "CPU ms/op is user+system time of each process during the scenario divided by the operations done (from /proc).");

        var directory = Path.Combine(Paths.Root(), "bench", "results");
        Directory.CreateDirectory(directory);
        // A run of some scenarios (--only) is named after them, so that it does not replace the day's full run.
        var name = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                   + (only is { Length: > 0 } ? "-" + string.Join('-', only.Order(StringComparer.Ordinal)) : "");
        var stem = Path.Combine(directory, name);
        File.WriteAllText(stem + ".md", md.ToString());
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(new { measurements = results, peakMemory = memory },
            new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Chart.Write(results.Where(m => m.NotRun is null).ToList(), stem + ".png");
        AnsiConsole.WriteLine(md.ToString());
        AnsiConsole.MarkupLine($"Written to [green]{stem}.md[/], .json and .png");
    }

    private static void WhereTheTimeGoes(StringBuilder md, List<Measurement> explained)
    {
        md.AppendLine("## Where the time goes (16 clients, the statement run and the rebuild)");
        md.AppendLine();
        md.AppendLine("CPU per operation by process, and the rate the machine could reach if that CPU were all it needed " +
                      $"({Environment.ProcessorCount} cores × 1,000 ms/s ÷ total CPU ms per operation). pgbench's client is counted with the load generator that starts it. " +
                      "'Other' is what everything else on the machine (other builds, tests and their databases) spent meanwhile, per operation of this run: " +
                      "the cores it took were not this run's.");
        md.AppendLine();
        md.AppendLine("| scenario | API | PostgreSQL | load generator / pgbench | total ms/op | CPU-bound ceiling ops/s | measured ops/s | other ms/op |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var m in explained)
        {
            var c = m.Cpu!;
            var total = c.ApiMs + c.PostgresMs + c.BenchMs;
            md.AppendLine($"| {m.Scenario} | {c.ApiMs:F2} | {c.PostgresMs:F2} | {c.BenchMs:F2} | {total:F2} | " +
                          $"{(total > 0 ? Environment.ProcessorCount * 1000 / total : 0):F0} | {m.OpsPerSecond:F0} | {c.OtherMs:F2} |");
        }
        md.AppendLine();
    }

    private static void TargetTable(StringBuilder md, string title, IEnumerable<Verdict> verdicts)
    {
        md.AppendLine($"## {title}");
        md.AppendLine();
        md.AppendLine("| target | measured | verdict |");
        md.AppendLine("|---|---|---|");
        foreach (var (target, measured, met, gap) in verdicts)
            md.AppendLine($"| {target} | {measured} | {(met is null ? "not measured" : met.Value ? "met" : double.IsInfinity(gap) ? "**missed** (nothing measured got through)" : $"**missed** ({(gap < 1.1 ? gap.ToString("F2") : gap.ToString("F1"))}× off)")} |");
        md.AppendLine();
    }

    /// <summary>The ratio to the scenario's baseline; the hot account also to pgbench, through the charge rate it is read against.</summary>
    private static string Ratios(List<Measurement> results, Measurement m)
    {
        var ratios = new[] { Baseline(results, m), m.Scenario == "hot-account" ? Insert(results, m.Clients) : null }
            .OfType<Measurement>().Where(b => b.OpsPerSecond > 0).Select(b => $"{m.OpsPerSecond / b.OpsPerSecond:P1} of {b.Scenario}");
        return string.Join("; ", ratios);
    }

    private static Measurement? Insert(List<Measurement> results, int clients) => results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == clients);

    public static Measurement? Baseline(List<Measurement> results, Measurement m) =>
        m.Scenario == "hot-account" ? results.FirstOrDefault(b => b.Scenario == "post-charge" && b.Clients == m.Clients && b.NotRun is null)
        : InsertBound.Contains(m.Scenario) ? results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients)
        : SelectBound.Contains(m.Scenario) ? results.FirstOrDefault(b => b.Scenario == "pgbench-select" && b.Clients == m.Clients)
        : m.Scenario == "marten-append" ? results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients)
        // Two and three nodes are read against one behind the same balancer, measured in the same run.
        : m.Scenario is "cluster-2-nodes" or "cluster-3-nodes" ? results.FirstOrDefault(b => b.Scenario == "cluster-1-node" && b.Clients == m.Clients)
        : null;

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F1", CultureInfo.InvariantCulture);
}
