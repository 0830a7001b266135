using System.Net;
using System.Net.Http.Json;

namespace Ledger.Benchmarks;

/// <summary>
/// Every client charging ONE account, with post-charge's body: what a single busy stream costs. Group commit carries
/// one write per account per transaction and each write locks its stream row, so these charges cannot share commits
/// the way post-charge's spread-out ones do; the figure is read against post-charge at the same client count.
/// </summary>
public static class HotAccount
{
    public static async Task<Measurement> RunAsync(HttpScenarios scenarios, HttpClient csr, int clients, TimeSpan duration)
    {
        // A fresh account per client count, so each point starts from the same short stream whatever ran before it.
        var account = await BenchAccounts.OpenOne(csr, "bench-hot", clients, CancellationToken.None);
        return await scenarios.Settled("hot-account", clients, duration, async (_, _) =>
            (await csr.PostAsJsonAsync($"/api/accounts/{account}/charges", HttpScenarios.ChargeBody)).StatusCode == HttpStatusCode.Created);
    }
}
