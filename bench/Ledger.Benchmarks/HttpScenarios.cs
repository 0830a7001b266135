using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>The request mix, one scenario at a time, each driven by N concurrent clients over HTTP.</summary>
public sealed class HttpScenarios(
    LedgerProcess api, string connectionString, List<Guid> accounts, List<Guid> approvalAccounts, List<(Guid Account, Guid Statement)> statements,
    BulkCharges? bulk)
{
    /// <summary>The body of every single charge the bench posts, so post-charge and hot-account differ only in their accounts.</summary>
    public static readonly object ChargeBody = new { amount = 12.34m, description = "Bench", category = "usage" };

    private readonly HttpClient _csr = api.Client("bench.csr", "csr");

    public async Task<List<Measurement>> RunAll(int clients, TimeSpan duration, Func<string, bool> wanted)
    {
        var results = new List<Measurement>();
        var random = new Random(clients);
        Guid AnyAccount() { lock (random) return accounts[random.Next(accounts.Count)]; }

        if (wanted("post-charge"))
            results.Add(await Settled("post-charge", clients, duration, async (_, _) =>
                (await _csr.PostAsJsonAsync($"/api/accounts/{AnyAccount()}/charges", ChargeBody)).StatusCode == HttpStatusCode.Created));
        if (wanted("hot-account"))
            results.Add(await HotAccount.RunAsync(this, _csr, clients, duration));
        if (wanted("credit-in-limits"))
        {
            // One CSR per client: each has its own daily allowance, as a desk of CSRs would.
            var csrs = Enumerable.Range(0, clients).Select(c => api.Client($"bench.csr.{clients}.{c}", "csr")).ToArray();
            results.Add(await Settled("credit-in-limits", clients, duration, async (c, _) =>
                (await csrs[c].PostAsJsonAsync($"/api/accounts/{AnyAccount()}/credits", new { amount = 0.01m, reasonCode = "goodwill", reason = "Bench" }))
                .StatusCode == HttpStatusCode.Created));
        }
        if (wanted("credit-over-limit-approved"))
        {
            // 101 is over a CSR's single-credit limit (100) and well within a manager's; a manager approves within
            // their own daily total, so each manager identity approves at most 50, and each of the 300 accounts takes
            // up to 29 within a manager's 30-day per-account total.
            var csrs = Enumerable.Range(0, clients).Select(c => api.Client($"bench.requester.{clients}.{c}", "csr")).ToArray();
            var managers = new Dictionary<string, HttpClient>();
            HttpClient Manager(int c, long i)
            {
                var name = $"bench.manager.{clients}.{c}.{i / 50}";
                lock (managers)
                    return managers.TryGetValue(name, out var m) ? m : managers[name] = api.Client(name, "manager");
            }
            results.Add(await Settled("credit-over-limit-approved", clients, duration, async (c, i) =>
            {
                Guid account;
                lock (random) account = approvalAccounts[random.Next(approvalAccounts.Count)];
                var requested = await csrs[c].PostAsJsonAsync($"/api/accounts/{account}/credits",
                    new { amount = 101m, reasonCode = "goodwill", reason = "Bench over limit" });
                if (requested.StatusCode != HttpStatusCode.Accepted)
                    return false;
                var approval = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approvalId").GetGuid();
                var approved = await Manager(c, i).PostAsJsonAsync($"/api/approvals/{approval}/approve", new { note = "Bench approval" });
                return approved.IsSuccessStatusCode;
            }));
        }
        if (wanted("account-summary"))
            results.Add(await Settled("account-summary", clients, duration, async (_, _) =>
                (await _csr.GetAsync($"/api/accounts/{AnyAccount()}")).IsSuccessStatusCode));
        if (wanted("entries-page"))
            results.Add(await Settled("entries-page", clients, duration, async (_, _) =>
                (await _csr.GetAsync($"/api/accounts/{AnyAccount()}/entries?sort=-amount&type=charge&minAmount=5&pageSize=20")).IsSuccessStatusCode));
        if (wanted("reprint-pdf") && statements.Count > 0)
            results.Add(await Settled("reprint-pdf", clients, duration, async (_, _) =>
            {
                (Guid Account, Guid Statement) s;
                lock (random) s = statements[random.Next(statements.Count)];
                return (await _csr.GetAsync($"/api/accounts/{s.Account}/statements/{s.Statement}/pdf")).IsSuccessStatusCode;
            }));
        if (wanted("bulk-charges") && bulk is not null)
            results.Add(await bulk.RunAsync(this, clients, duration));
        return results;
    }

    /// <summary>
    /// Measured from the same starting point whatever ran before: the async projections caught up (they trail every
    /// burst of writes, and a scenario measured while they catch up pays for its predecessor), then an unrecorded
    /// warm-up at the same client count until the API's JIT has settled (<see cref="JitActivity"/>; connection pools, prepared statements).
    /// </summary>
    public async Task<Measurement> Settled(string scenario, int clients, TimeSpan duration, Func<int, long, Task<bool>> op)
    {
        await Settle(scenario, clients, duration, op);
        return await Measure(scenario, clients, duration, op);
    }

    /// <summary>The catch-up and warm-up of <see cref="Settled"/>, for scenarios that count more than requests.</summary>
    public async Task Settle(string scenario, int clients, TimeSpan duration, Func<int, long, Task<bool>> op)
    {
        await Baselines.ProjectionsCaughtUp(connectionString);
        var round = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(2).Ticks, duration.Ticks / 5));
        var started = DateTime.UtcNow;
        await Measurement.RunAsync(scenario, clients, round, op);
        // Then on until the API's JIT is done with what this scenario runs (under 5 % of a core over a round), or a minute.
        for (var jit = JitActivity.Ticks(api.Pid); DateTime.UtcNow - started < MaxWarmUp;)
        {
            await Measurement.RunAsync(scenario, clients, round, op);
            var spent = JitActivity.Ticks(api.Pid) - jit;
            jit += spent;
            if (spent * 10.0 / round.TotalSeconds < 5)
                break;
        }
        AnsiConsole.MarkupLine($"[grey]{scenario} warmed up for {(DateTime.UtcNow - started).TotalSeconds:F0} s (until the API's JIT settled)[/]");
        await Baselines.ProjectionsCaughtUp(connectionString);
    }

    /// <summary>The longest warm-up: the runtime's tiered compilation settles well within it under load.</summary>
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(60);

    public static async Task<Measurement> Measure(string scenario, int clients, TimeSpan duration, Func<int, long, Task<bool>> op)
    {
        var m = await Measurement.RunAsync(scenario, clients, duration, op);
        AnsiConsole.MarkupLine($"{scenario,-26} {clients,3} clients: [green]{m.OpsPerSecond,8:F0}[/] ops/s  p50 {m.P50Ms:F1} ms  p95 {m.P95Ms:F1} ms  " +
                               $"p99 {m.P99Ms:F1} ms  errors {m.Errors}");
        return m;
    }
}
