using System.Net.Http.Json;
using System.Text.Json;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>The accounts the request scenarios write to and read from.</summary>
public static class BenchAccounts
{
    /// <summary>Accounts opened over HTTP, with nothing posted yet.</summary>
    public static async Task<List<Guid>> Open(HttpClient http, int count)
    {
        var accounts = new List<Guid>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var id = await OpenOne(http, "bench-approvals", i, ct);
            lock (accounts) accounts.Add(id);
        });
        return accounts;
    }

    /// <summary>Accounts with 20 charges each, opened and charged over HTTP like any desk would.</summary>
    public static async Task<List<Guid>> Seed(HttpClient http, int count)
    {
        var accounts = new List<Guid>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask($"Seeding {count} accounts with 20 charges each over HTTP", maxValue: count);
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var id = await OpenOne(http, "bench", i, ct);
                for (var c = 0; c < 20; c++)
                    (await http.PostAsJsonAsync($"/api/accounts/{id}/charges", new { amount = 1m + c, description = $"Seed {c}", category = "usage" }, ct))
                        .EnsureSuccessStatusCode();
                lock (accounts) accounts.Add(id);
                task.Increment(1);
            });
        });
        return accounts;
    }

    /// <summary>
    /// Many opened accounts for the bulk scenario, appended by the API's seed-history command beside the running service
    /// (an opening each): opening ten thousand over HTTP would take longer than the scenario itself.
    /// </summary>
    public static async Task<List<Guid>> Pool(string connectionString, int count)
    {
        var (output, elapsed, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", count.ToString(), "--events", "1");
        AnsiConsole.MarkupLine($"{count:N0} accounts opened for bulk charges in {elapsed.TotalSeconds:F1} s");
        return LedgerProcess.Ids(output);
    }

    public static async Task<Guid> OpenOne(HttpClient http, string customerPrefix, int i, CancellationToken ct)
    {
        var opened = await http.PostAsJsonAsync("/api/accounts", new
        {
            customerId = $"{customerPrefix}-{i}", holderName = $"Bench {i}", currency = "USD", billingDay = 1 + i % 28,
            address = new { line1 = "1 Bench St", city = "Load", postalCode = "00000", country = "US" },
        }, ct);
        return (await opened.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
    }
}
