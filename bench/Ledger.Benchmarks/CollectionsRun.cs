using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// A collections run over N accounts with a bill past due. The accounts' history is appended by seed-history (an opening
/// and two charges each), then moved 60 days back in the bench database (the only way to have bills past due without
/// waiting three weeks: the service's clock is never faked), and billed with a cut-off 50 days ago (due 29 days ago).
/// While they are billed a policy whose first step comes at 40 days is in force, so the bills' own timers find nothing
/// due yet. Measured: the run a policy change starts (back to the default, reminder at 1 day: every account takes its
/// reminder, one event and a timer each), from the change to the last reminder recorded; then `POST /api/collections/runs`
/// where nothing is due on any account (the nightly run on most nights).
/// </summary>
public static class CollectionsRun
{
    public static async Task<List<Measurement>> Run(LedgerProcess api, string connectionString, int accounts)
    {
        using var admin = api.Client("bench.admin", "admin", TimeSpan.FromMinutes(30));
        var policy = await admin.GetFromJsonAsync<JsonObject>("/api/collections/policy");
        var standard = policy!["policy"]!.DeepClone();
        var later = policy["policy"]!.DeepClone();
        later["daysPastDue"] = new JsonObject { ["reminder"] = 40, ["lateNotice"] = 45, ["intentToCancel"] = 50, ["suspension"] = 55, ["cancellation"] = 60 };
        (await admin.PutAsJsonAsync("/api/collections/policy", new { policy = later, reason = "bench: nothing due while billing" })).EnsureSuccessStatusCode();

        AnsiConsole.MarkupLine($"Collections: {accounts:N0} accounts with two charges each (seed-history), moved 60 days back and billed...");
        var (output, _, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", accounts.ToString(), "--events", "3", "--batch", "3");
        var ids = LedgerProcess.Ids(output);
        await Baselines.Sql(connectionString,
            "alter table ledger.mt_events disable trigger user; " +
            "update ledger.mt_events set timestamp = timestamp - interval '60 days'; " +
            "alter table ledger.mt_events enable trigger user;");
        var cutoff = DateTimeOffset.UtcNow.AddDays(-50);
        foreach (var chunk in ids.Chunk(1_000))
            (await admin.PostAsJsonAsync("/api/statement-runs", new { cutoff, accountIds = chunk })).EnsureSuccessStatusCode();
        // The bills' timers (due 29 days ago, so at once) look and find nothing due under the 40-day policy.
        var timers = Stopwatch.StartNew();
        await Until(connectionString, "select count(*) from ledger.wolverine_incoming_envelopes where message_type like '%ReviewAccountCollections%' " +
            "and status <> 'Handled' and (execution_time is null or execution_time <= now())",
            n => n == 0, TimeSpan.FromMinutes(20));
        timers.Stop();
        AnsiConsole.MarkupLine($"the bills' {ids.Count:N0} timers were handled within {timers.Elapsed.TotalSeconds:F0} s of the last bill " +
                               $"(≈ {ids.Count / timers.Elapsed.TotalSeconds:F0} reviews/s, nothing due)");
        await Baselines.ProjectionsCaughtUp(connectionString, TimeSpan.FromMinutes(10));

        var before = await Steps(connectionString);
        var cpu = new CpuSampler();
        var watch = Stopwatch.StartNew();
        (await admin.PutAsJsonAsync("/api/collections/policy", new { policy = standard, reason = "bench: the default again" })).EnsureSuccessStatusCode();
        await Until(connectionString, "select count(*) from ledger.mt_events where type = 'collection_step_raised'", n => n - before >= ids.Count, TimeSpan.FromMinutes(20));
        watch.Stop();
        var taken = await Steps(connectionString) - before;
        var considered = await Baselines.Scalar(connectionString, "select count(*) from ledger.mt_doc_account");
        AnsiConsole.MarkupLine($"collections-run: {considered:N0} accounts reviewed, {taken:N0} reminders, in {watch.Elapsed.TotalSeconds:F1} s = " +
                               $"[green]{considered / watch.Elapsed.TotalSeconds:F0}[/] accounts/s");
        var steps = Measurement.Job("collections-run", 1, considered, watch.Elapsed, ids.Count - taken,
                $"the run a policy change starts: {considered:N0} accounts reviewed, {taken:N0} of them take their reminder (an event and a timer each); " +
                "from the change to the last reminder recorded; errors = accounts of the bills that took no step") with { Cpu = cpu.Stop(considered) };
        var quiet = await Once(admin, "collections-run-quiet", "POST /api/collections/runs with nothing due on any account (most nights)");
        return [steps, quiet];
    }

    private static async Task<long> Steps(string connectionString) =>
        await Baselines.Scalar(connectionString, "select count(*) from ledger.mt_events where type = 'collection_step_raised'");

    private static async Task Until(string connectionString, string sql, Func<long, bool> done, TimeSpan atMost)
    {
        var waited = Stopwatch.StartNew();
        while (!done(await Baselines.Scalar(connectionString, sql)) && waited.Elapsed < atMost)
            await Task.Delay(200);
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
                $"{what}; {considered:N0} accounts reviewed, {due:N0} written; one request") with { Cpu = cpu.Stop(considered) };
    }
}
