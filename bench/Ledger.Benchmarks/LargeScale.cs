using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// The batch jobs: a statement run over many accounts (rendering included), a rebuild of every projection over at
/// least a million events, and the demo seeder's year of activity for 1,000 accounts through the handlers.
/// </summary>
public static class LargeScale
{
    /// <summary>Appends the accounts for the statement run and the rebuild; returns their ids.</summary>
    public static async Task<(List<Guid> Accounts, Measurement Seeding)> SeedHistories(string connectionString, int accounts, int eventsPerAccount)
    {
        AnsiConsole.MarkupLine($"Appending {accounts:N0} accounts × {eventsPerAccount} events through the write path (seed-history)...");
        var (ids, elapsed, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", accounts.ToString(),
            "--events", eventsPerAccount.ToString(), "--batch", eventsPerAccount.ToString());
        var events = (long)accounts * eventsPerAccount;
        AnsiConsole.MarkupLine($"{events:N0} events in {elapsed.TotalSeconds:F1} s = {events / elapsed.TotalSeconds:F0} events/s");
        return (LedgerProcess.Ids(ids),
            Measurement.Job("seed-history", 4, events, elapsed, 0, $"{accounts} accounts × {eventsPerAccount} events, one transaction per account, process start included"));
    }

    public static async Task<Measurement> StatementRun(HttpClient admin, List<Guid> accounts)
    {
        // One cut-off for the whole run, sent 1,000 accounts per request (a request body is capped at 64 KB).
        var cutoff = DateTimeOffset.UtcNow;
        var cpu = new CpuSampler();
        var watch = Stopwatch.StartNew();
        var issued = 0;
        foreach (var chunk in accounts.Chunk(1_000))
        {
            var response = await admin.PostAsJsonAsync("/api/statement-runs", new { cutoff, accountIds = chunk });
            var report = await response.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            issued += report.GetProperty("issued").GetInt32();
        }
        AnsiConsole.MarkupLine($"statement-run: [green]{issued:N0}[/] statements in {watch.Elapsed.TotalSeconds:F1} s = {issued / watch.Elapsed.TotalSeconds:F0} statements/s");
        if (accounts.Count < 1_000)
            return Measurement.Job("statement-run-small", 4, issued, watch.Elapsed, accounts.Count - issued, $"{accounts.Count} accounts, for the reprints");
        return Measurement.Job("statement-run", 4, issued, watch.Elapsed, accounts.Count - issued,
            $"{accounts.Count} accounts, PDF rendering and storage included, 4 accounts at a time (the run's own parallelism)")
            with { Cpu = cpu.Stop(issued), ApiPeakMbSoFar = PeakMemory.ServingSoFar() };
    }

    /// <summary>`projections rebuild` as a process on the stopped service's database: every projection, from every event.</summary>
    public static async Task<Measurement> Rebuild(string connectionString)
    {
        var events = await Baselines.Scalar(connectionString, "select count(*) from ledger.mt_events");
        AnsiConsole.MarkupLine($"Rebuilding every projection over {events:N0} events...");
        var cpu = new CpuSampler();
        var (_, elapsed, ticks) = await LedgerProcess.RunCommand(connectionString, "projections", "rebuild", "--shard-timeout", "1.00:00:00");
        AnsiConsole.MarkupLine($"projection-rebuild: {events:N0} events in {elapsed.TotalSeconds:F1} s = [green]{events / elapsed.TotalSeconds:F0}[/] events/s");
        return Measurement.Job("projection-rebuild", 1, events, elapsed, 0, $"{events:N0} events, all projections, process start included")
            with { Cpu = cpu.Stop(events, commandTicks: ticks) };
    }

    /// <summary>The demo seeder (`seed --accounts 1000`): a year of realistic activity per account through the Wolverine handlers.</summary>
    public static async Task<Measurement> DemoSeed(string connectionString, int accounts)
    {
        AnsiConsole.MarkupLine($"Seeding {accounts:N0} accounts with a year of activity (seed --accounts {accounts})...");
        var (output, elapsed, _) = await LedgerProcess.RunCommand(connectionString, "seed", "--accounts", accounts.ToString(), "--seed", "42");
        AnsiConsole.MarkupLine($"seed-demo: {accounts:N0} accounts in [green]{elapsed.TotalSeconds:F1}[/] s");
        return Measurement.Job("seed-demo", 8, accounts, elapsed, 0,
            $"{accounts} accounts, a year of activity each through the handlers; {output.LastOrDefault(l => l.Contains("commands")) ?? ""}".Trim());
    }
}
