using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Lifecycle;

[Collection(LedgerCollection.Name)]
public sealed class LifecycleTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task Suspended_accounts_take_payments_but_no_charges_and_a_closed_account_takes_nothing()
    {
        var accountId = await _desk.OpenAccount("cust-lifecycle");
        await _desk.Post(accountId, "charges", new { amount = 40m, description = "Plan", category = "mobile" });

        (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/suspension", new { reason = "Unpaid" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("suspended");
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 1m, description = "x", category = "y" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-suspended");
        await _desk.Post(accountId, "payments", new { amount = 40m, method = "cash", reference = "SEPA-1" });

        (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/closure", new { reason = "Moving abroad" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("closed");
        var version = await _desk.Version(accountId);
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 1m, method = "cash" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-closed");
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/reactivation", new { reason = "Came back" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-closed");
        (await _desk.Version(accountId)).Should().Be(version);
    }
}
