using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts;

[Collection(LedgerCollection.Name)]
public sealed class LifecycleAndDisputeTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task A_wrong_correction_is_reversed_by_a_linked_event_and_the_entry_can_be_corrected_again()
    {
        var accountId = await _desk.OpenAccount("cust-reverse");
        var charge = await _desk.Post(accountId, "charges", new { amount = 80m, description = "Install", category = "internet" });
        var correction = (await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections",
            new { entryId = charge, amount = 80m, reason = "Wrong account" })).Body())["id"]!.GetValue<Guid>();

        var reversal = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections/{correction}/reversal", new { reason = "Was right after all" });
        reversal.StatusCode.Should().Be(HttpStatusCode.Created);
        var again = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections/{correction}/reversal", new { reason = "twice" });
        await again.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "correction-already-reversed");

        var entry = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries/{charge}")).Body();
        entry["amount"]!.GetValue<decimal>().Should().Be(80m);
        entry["correctedAmount"]!.GetValue<decimal>().Should().Be(80m);
        entry["corrections"]![0]!["correctionId"]!.GetValue<Guid>().Should().Be(correction);
        entry["corrections"]![0]!["reversedBy"]!.GetValue<Guid>().Should().NotBeEmpty();
        (await _desk.Balance(accountId)).Should().Be(80m);
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 30m, reason = "Partial refund" });
        (await _desk.Balance(accountId)).Should().Be(50m);
    }

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

    [Fact]
    public async Task Suspended_accounts_take_payments_but_no_charges_and_a_closed_account_takes_nothing()
    {
        var accountId = await _desk.OpenAccount("cust-lifecycle");
        await _desk.Post(accountId, "charges", new { amount = 40m, description = "Plan", category = "mobile" });

        (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/suspension", new { reason = "Unpaid" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("suspended");
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 1m, description = "x", category = "y" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-suspended");
        await _desk.Post(accountId, "payments", new { amount = 40m, method = "transfer", reference = "SEPA-1" });

        (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/closure", new { reason = "Moving abroad" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("closed");
        var version = await _desk.Version(accountId);
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 1m, method = "transfer" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-closed");
        await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/reactivation", new { reason = "Came back" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-closed");
        (await _desk.Version(accountId)).Should().Be(version);
    }

    [Fact]
    public async Task A_customer_changes_their_address_and_the_desk_finds_the_account_by_name_or_number()
    {
        var accountId = await _desk.OpenAccount("cust-profile", holder: "Grace Hopper");
        using var customer = app.ClientFor(TestUser.Customer("cust-profile"));
        var change = await customer.PutAsJsonAsync($"/api/accounts/{accountId}/profile",
            new { holderName = "Grace B. Hopper", address = new { line1 = "1 Navy Way", city = "Arlington", postalCode = "22202", country = "us" } });
        change.StatusCode.Should().Be(HttpStatusCode.OK);
        var unchanged = await customer.PutAsJsonAsync($"/api/accounts/{accountId}/profile",
            new { holderName = "Grace B. Hopper", address = new { line1 = "1 Navy Way", city = "Arlington", postalCode = "22202", country = "US" } });
        await unchanged.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "profile-unchanged");

        var account = await _desk.Account(accountId);
        account["address"]!["city"]!.GetValue<string>().Should().Be("Arlington");
        var number = account["accountNumber"]!.GetValue<string>();
        var byName = await (await _desk.GetAsync("/api/accounts?q=grace%20b")).Body();
        byName["items"]!.AsArray().Select(a => a!["id"]!.GetValue<Guid>()).Should().Contain(accountId);
        var byNumber = await (await _desk.GetAsync($"/api/accounts?q={number[..9].ToLowerInvariant()}")).Body();
        byNumber["items"]!.AsArray().Select(a => a!["id"]!.GetValue<Guid>()).Should().Equal(accountId);
        var mine = await (await customer.GetAsync("/api/accounts")).Body();
        mine["items"]!.AsArray().Select(a => a!["customerId"]!.GetValue<string>()).Should().OnlyContain(c => c == "cust-profile");
    }
}
