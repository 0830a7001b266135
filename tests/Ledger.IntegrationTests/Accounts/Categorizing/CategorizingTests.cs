using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Categorizing;

[Collection(LedgerCollection.Name)]
public sealed class CategorizingTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task A_customer_puts_line_items_in_own_categories_and_gets_totals_per_category()
    {
        var accountId = await _desk.OpenAccount("cust-categories");
        var gym = await _desk.Post(accountId, "charges", new { amount = 30m, description = "Gym", category = "services" });
        await _desk.Post(accountId, "charges", new { amount = 20m, description = "Cloud", category = "services" });
        await _desk.Post(accountId, "charges", new { amount = 15m, description = "Pool", category = "services" }).ContinueWith(async t =>
            await _desk.Post(accountId, "corrections", new { entryId = t.Result, amount = 5m, reason = "promo" })).Unwrap();
        using var customer = app.ClientFor(TestUser.Customer("cust-categories"));

        (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/entries/{gym}/category", new { category = "Health" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/entries/{gym}/category", new { category = "health" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "category-unchanged");

        var totals = await (await customer.GetAsync($"/api/accounts/{accountId}/category-totals")).Body();
        var byCategory = totals["categories"]!.AsArray().ToDictionary(c => c!["category"]!.GetValue<string>(), c => c!["total"]!.GetValue<decimal>());
        byCategory.Should().BeEquivalentTo(new Dictionary<string, decimal> { ["health"] = 30m, ["services"] = 30m });
        var filtered = await (await customer.GetAsync($"/api/accounts/{accountId}/entries?category=health")).Body();
        filtered["items"]!.AsArray().Select(i => i!["entryId"]!.GetValue<Guid>()).Should().Equal(gym);
    }
}
