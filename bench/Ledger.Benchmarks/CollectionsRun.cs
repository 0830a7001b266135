using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// `POST /api/collections/runs` over N accounts with a bill past due. The accounts' history is appended by seed-history
/// (an opening and two charges each), then moved 60 days back in the bench database (the only way to have bills past due
/// without waiting three weeks: the service's clock is never faked), billed with a cut-off 50 days ago (due 29 days ago),
/// and their timers take each reminder at once. Measured: a run where every account takes its next step (the late notice,
/// with its fee: two events and a timer each), then a run where none has anything due (the nightly run on most nights).
/// </summary>
public static class CollectionsRun
{
    public static async Task<List<Measurement>> Run(LedgerProcess api, string connectionString, int accounts)
    {
        using var admin = api.Client("bench.admin", "admin", TimeSpan.FromMinutes(30));
        AnsiConsole.MarkupLine($"Collections: {accounts:N0} accounts with two charges each (seed-history), moved 60 days back...");
        var (output, _, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", accounts.ToString(), "--events", "3", "--batch", "3");
        var ids = LedgerProcess.Ids(output);
        await Baselines.Sql(connectionString,
            "alter table ledger.mt_events disable trigger user; " +
            "update ledger.mt_events set timestamp = timestamp - interval '60 days'; " +
            "alter table ledger.mt_events enable trigger user;");
        var cutoff = DateTimeOffset.UtcNow.AddDays(-50);
        foreach (var chunk in ids.Chunk(1_000))
            (await admin.PostAsJsonAsync("/api/statement-runs", new { cutoff, accountIds = chunk })).EnsureSuccessStatusCode();
        var waited = Stopwatch.StartNew();
        while (await Baselines.Scalar(connectionString, "select count(*) from ledger.mt_events where type = 'collection_step_raised'") < ids.Count
               && waited.Elapsed < TimeSpan.FromMinutes(20))
            await Task.Delay(1000);
        AnsiConsole.MarkupLine($"the bills' timers took {ids.Count:N0} reminders in {waited.Elapsed.TotalSeconds:F0} s");
        await Baselines.ProjectionsCaughtUp(connectionString, TimeSpan.FromMinutes(10));

        var steps = await Once(admin, "collections-run", "every account takes its next step (late notice and fee: 2 events and a timer each)");
        var quiet = await Once(admin, "collections-run-quiet", "nothing due on any account (most nights)");
        return [steps, quiet];
    }

    private static async Task<Measurement> Once(HttpClient admin, string scenario, string what)
    {
        var cpu = new CpuSampler();
        var watch = Stopwatch.StartNew();
        var report = await (await admin.PostAsync("/api/collections/runs", null)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        watch.Stop();
        var (considered, due, failed) = (report.GetProperty("considered").GetInt32(), report.GetProperty("due").GetInt32(), report.GetProperty("failed").GetInt32());
        AnsiConsole.MarkupLine($"{scenario}: {considered:N0} accounts in {watch.Elapsed.TotalSeconds:F1} s = [green]{considered / watch.Elapsed.TotalSeconds:F0}[/] accounts/s " +
                               $"({due:N0} with something due, {failed} failed)");
        return Measurement.Job(scenario, 1, considered, watch.Elapsed, failed,
                $"{what}; {considered:N0} accounts reviewed, {due:N0} written; one request, as the nightly run") with { Cpu = cpu.Stop(considered) };
    }
}
