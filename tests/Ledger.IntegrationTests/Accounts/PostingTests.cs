using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts;

[Collection(LedgerCollection.Name)]
public sealed class PostingTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task Given_open_account_When_charge_payment_credit_and_correction_posted_Then_balance_is_exact_to_the_cent()
    {
        var accountId = await _desk.OpenAccount("cust-balance");

        var charge = await _desk.Post(accountId, "charges", new { amount = 100.10m, description = "Electricity March", category = "energy" });
        await _desk.Post(accountId, "charges", new { amount = 0.20m, description = "Late fee", category = "fees" });
        await _desk.Post(accountId, "payments", new { amount = 50.05m, method = "cash", reference = "RCPT-1001" });
        await _desk.Post(accountId, "credits", new { amount = 10.01m, reasonCode = "goodwill", reason = "Outage on 3 March" });
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 0.10m, reason = "Meter misread" });

        var account = await _desk.Account(accountId);
        account["balance"]!.GetValue<decimal>().Should().Be(100.10m + 0.20m - 50.05m - 10.01m - 0.10m);
        account["version"]!.GetValue<long>().Should().Be(6);
        account["currency"]!.GetValue<string>().Should().Be("USD");
        account["status"]!.GetValue<string>().Should().Be("open");
    }

    [Fact]
    public async Task Open_account_answers_201_with_location_and_the_account_reads_back_with_an_etag()
    {
        var response = await _desk.PostAsJsonAsync("/api/accounts", new
        {
            customerId = "cust-open", holderName = "Ada Lovelace", currency = "EUR", billingDay = 12,
            address = new { line1 = "12 Analytical Row", city = "London", postalCode = "N1 7AA", country = "gb" },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var id = (await response.Body())["id"]!.GetValue<Guid>();
        response.Headers.Location!.ToString().Should().Be($"/api/accounts/{id}");

        var get = await _desk.GetAsync(response.Headers.Location);
        get.Headers.ETag!.Tag.Should().Be("\"1\"");
        var account = await get.Body();
        account["customerId"]!.GetValue<string>().Should().Be("cust-open");
        account["holderName"]!.GetValue<string>().Should().Be("Ada Lovelace");
        account["balance"]!.GetValue<decimal>().Should().Be(0m);
        account["address"]!["country"]!.GetValue<string>().Should().Be("GB");
        account["accountNumber"]!.GetValue<string>().Should().MatchRegex("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$");
    }
}
