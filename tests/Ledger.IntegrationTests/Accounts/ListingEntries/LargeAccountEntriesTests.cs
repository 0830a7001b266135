using System.Net;
using System.Text.Json.Nodes;
using Ledger.Domain.Accounts;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Accounts.ListingEntries;

/// <summary>
/// Paging, sorting and filtering over an account with thousands of entries. The history is appended straight
/// to the event store (the inline projections run as they do for the API) to keep the test fast.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class LargeAccountEntriesTests(LedgerApp app)
{
    [Fact]
    public async Task An_account_with_3000_entries_pages_sorts_and_filters_exactly()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.large"));
        var accountId = await desk.OpenAccount("cust-large");
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var charges = Enumerable.Range(0, 3000).Select(i => new ChargePosted(accountId, Guid.CreateVersion7(), 1m + i % 997 / 10m,
            $"Usage {i}", i % 3 == 0 ? "water" : "energy", null, null, start.AddMinutes(i))).ToList();
        foreach (var batch in charges.Chunk(500))
        {
            await using var session = store.LightweightSession();
            session.Events.Append(accountId, batch.Cast<object>().ToArray());
            await session.SaveChangesAsync();
        }

        (await desk.Account(accountId))["balance"]!.GetValue<decimal>().Should().Be(charges.Sum(c => c.Amount));
        var from = start.AddMinutes(1000);
        var to = start.AddMinutes(1999);
        var page = await Page(desk, accountId, $"category=water&minAmount=20&maxAmount=80&from={Esc(from)}&to={Esc(to)}&sort=-amount&page=3&pageSize=25");
        var oracle = charges.Where(c => c.Category == "water" && c.Amount is >= 20m and <= 80m && c.PostedAt >= from && c.PostedAt <= to)
            .OrderByDescending(c => c.Amount).ThenByDescending(c => c.PostedAt).ToList();
        page["total"]!.GetValue<long>().Should().Be(oracle.Count);
        Ids(page).Should().Equal(oracle.Skip(50).Take(25).Select(c => c.EntryId));

        var last = await Page(desk, accountId, "sort=date&page=120&pageSize=25");
        Ids(last).Should().Equal(charges.Skip(2975).Select(c => c.EntryId));
        var text = await Page(desk, accountId, "q=usage%202999");
        Ids(text).Should().Equal(charges[2999].EntryId);
    }

    private static string Esc(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    private static async Task<JsonObject> Page(HttpClient client, Guid accountId, string query)
    {
        var response = await client.GetAsync($"/api/accounts/{accountId}/entries?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private static IEnumerable<Guid> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => i!["entryId"]!.GetValue<Guid>());
}
