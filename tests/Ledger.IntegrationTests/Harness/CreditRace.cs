using System.Net;
using System.Net.Http.Json;

namespace Ledger.IntegrationTests.Harness;

/// <summary>One CSR's credits sent all at once over several accounts, each a distinct amount (no request repeats another).</summary>
public static class CreditRace
{
    /// <summary>Credit i is 30 + i/100 on account i mod the accounts; the answers with their amounts.</summary>
    public static async Task<(HttpStatusCode Status, decimal Amount)[]> RunAsync(LedgerApp app, TestUser csr, IReadOnlyList<Guid> accounts, int credits) =>
        await Task.WhenAll(Enumerable.Range(0, credits).Select(async i =>
        {
            using var client = app.ClientFor(csr);
            var amount = 30m + i / 100m;
            var response = await client.PostAsJsonAsync($"/api/accounts/{accounts[i % accounts.Count]}/credits",
                new { amount, reasonCode = "goodwill", reason = "Outage" });
            return (response.StatusCode, amount);
        }));
}
