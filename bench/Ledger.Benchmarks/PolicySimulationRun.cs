using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// The policy simulation (issue #25's target: 90 days of a 1,000-account demo data set in under 10 s). The demo seeder writes a
/// year of activity for N accounts through the handlers (credits and corrections by the desk among it); then one request
/// replays the last 90 days' decisions against tighter CSR limits. Baseline, same run: PostgreSQL reading the same event rows
/// (the four decision types since a month before the window) and sending their JSON, with nothing done with them.
/// </summary>
public static class PolicySimulationRun
{
    public static async Task<List<Measurement>> Run(LedgerProcess api, string connectionString, int accounts)
    {
        AnsiConsole.MarkupLine($"Policy simulation: {accounts:N0} demo accounts with a year of activity (seed --accounts {accounts})...");
        await LedgerProcess.RunCommand(connectionString, "seed", "--accounts", accounts.ToString(), "--seed", "42");
        using var admin = api.Client("bench.admin", "admin", TimeSpan.FromMinutes(5));
        var limits = (await admin.GetFromJsonAsync<JsonObject>("/api/policy"))!["limits"]!.DeepClone().AsObject();
        limits["csr"]!["maxSingleCredit"] = 10m;
        limits["csr"]!["maxSingleCorrection"] = 20m;

        var cpu = new CpuSampler();
        var watch = Stopwatch.StartNew();
        var response = await admin.PostAsJsonAsync("/api/policy/simulations", new { limits, days = 90 });
        var text = await response.Content.ReadAsStringAsync();
        watch.Stop();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"POST /api/policy/simulations: {(int)response.StatusCode} {text}");
        var report = JsonNode.Parse(text)!;
        var decisions = report["decisions"]!.GetValue<int>();
        var simulation = Measurement.Job("policy-simulation", 1, decisions, watch.Elapsed, 0,
            $"one request: the last 90 days of {accounts:N0} demo accounts ({decisions:N0} desk decisions, {report["differenceCount"]} would have gone " +
            "otherwise) replayed against tighter CSR limits; items = decisions") with { Cpu = cpu.Stop(decisions) };

        watch.Restart();
        var rows = await Baselines.Scalar(connectionString,
            "select count(*) from (select data::text from ledger.mt_events where timestamp >= now() - interval '121 days' " +
            "and type in ('credit_issued', 'refund_issued', 'entry_corrected', 'approval_requested')) rows");
        watch.Stop();
        var raw = Measurement.Job("policy-simulation-baseline", 1, rows, watch.Elapsed, 0,
            "baseline: PostgreSQL reading the same event rows as text (the decision types since a month before the window); items = rows");
        AnsiConsole.MarkupLine($"policy-simulation: {decisions:N0} decisions in [green]{simulation.P50Ms / 1000:F2} s[/] " +
                               $"(the rows alone {raw.P50Ms / 1000:F2} s, ratio {simulation.P50Ms / Math.Max(raw.P50Ms, 0.001):F1})");
        return [simulation, raw];
    }
}
