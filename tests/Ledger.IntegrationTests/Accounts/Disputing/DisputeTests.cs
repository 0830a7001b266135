using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Disputing;

[Collection(LedgerCollection.Name)]
public sealed class DisputeTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task A_customer_disputes_a_charge_the_desk_resolves_it_once_and_a_payment_cannot_be_disputed()
    {
        var accountId = await _desk.OpenAccount("cust-dispute");
        var charge = await _desk.Post(accountId, "charges", new { amount = 12m, description = "Premium SMS", category = "mobile" });
        var payment = await _desk.Post(accountId, "payments", new { amount = 12m, method = "card", cardBrand = "visa", cardLast4 = "4242" });
        using var customer = app.ClientFor(TestUser.Customer("cust-dispute"));

        var dispute = await customer.Post(accountId, "disputes", new { entryId = charge, reason = "Never subscribed" });
        await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/disputes", new { entryId = payment, reason = "x" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "only-charges-can-be-disputed");
        (await customer.Account(accountId))["openDisputes"]!.GetValue<int>().Should().Be(1);
        var queue = await (await _desk.GetAsync("/api/disputes?pageSize=200")).Body();
        queue["items"]!.AsArray().Select(i => i!["entry"]!["entryId"]!.GetValue<Guid>()).Should().Contain(charge);

        var resolve = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/disputes/{dispute}/resolution", new { outcome = "upheld", note = "Refund via credit" });
        resolve.StatusCode.Should().Be(HttpStatusCode.OK);
        var twice = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/disputes/{dispute}/resolution", new { outcome = "rejected", note = "again" });
        await twice.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "dispute-already-resolved");

        var entry = await (await customer.GetAsync($"/api/accounts/{accountId}/entries/{charge}")).Body();
        entry["dispute"]!["status"]!.GetValue<string>().Should().Be("upheld");
        (await customer.Account(accountId))["openDisputes"]!.GetValue<int>().Should().Be(0);
        var after = await (await _desk.GetAsync("/api/disputes?pageSize=200")).Body();
        after["items"]!.AsArray().Select(i => i!["entry"]!["entryId"]!.GetValue<Guid>()).Should().NotContain(charge);
    }
}
