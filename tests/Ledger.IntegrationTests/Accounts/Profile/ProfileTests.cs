using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Profile;

[Collection(LedgerCollection.Name)]
public sealed class ProfileTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

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
