using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// How cost grows with history: one account each with 1k, 10k and 100k events (appended by the API's seed-history
/// command through the write path), then as-of reads at random versions and summary reads on each.
/// </summary>
public static class LongHistory
{
    public static async Task<List<Measurement>> Run(LedgerProcess api, string connectionString, int[] sizes, TimeSpan duration)
    {
        var results = new List<Measurement>();
        using var auditor = api.Client("bench.auditor", "auditor");
        foreach (var size in sizes)
        {
            var (ids, elapsed, _) = await LedgerProcess.RunCommand(connectionString, "seed-history", "--accounts", "1", "--events", size.ToString());
            var account = LedgerProcess.Ids(ids).Single();
            AnsiConsole.MarkupLine($"account with {size:N0} events appended in {elapsed.TotalSeconds:F1} s");
            var label = size >= 1000 ? $"{size / 1000}k" : size.ToString();
            var random = new Random(size);
            results.Add(await HttpScenarios.Measure($"as-of-read-{label}", 4, duration, async (_, _) =>
            {
                int version;
                lock (random) version = 1 + random.Next(size);
                return (await auditor.GetAsync($"/api/accounts/{account}?version={version}")).IsSuccessStatusCode;
            }));
            results.Add(await HttpScenarios.Measure($"summary-{label}", 4, duration, async (_, _) =>
                (await auditor.GetAsync($"/api/accounts/{account}")).IsSuccessStatusCode));
        }
        return results;
    }
}
