using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Access;

/// <summary>BOLA: a customer asking for another customer's account gets exactly what a non-existent account gets.</summary>
[Collection(LedgerCollection.Name)]
public sealed class CustomerIsolationTests(LedgerApp app)
{
    [Fact]
    public async Task Customer_B_gets_404_on_every_customer_route_of_customer_A_and_nothing_is_appended()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var accountA = await desk.OpenAccount("cust-a");
        var charge = await desk.Post(accountA, "charges", new { amount = 20m, description = "Line rental", category = "telecom" });
        await Task.Delay(30);
        using var admin = app.ClientFor(TestUser.Admin());
        (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountA } })).EnsureSuccessStatusCode();
        using var owner = app.ClientFor(TestUser.Customer("cust-a"));
        using var intruder = app.ClientFor(TestUser.Customer("cust-b"));
        var statements = await (await owner.GetAsync($"/api/accounts/{accountA}/statements")).Content.ReadFromJsonAsync<List<Dictionary<string, object>>>();
        var statement = Guid.Parse(statements!.Single()["statementId"].ToString()!);
        (await owner.GetAsync($"/api/accounts/{accountA}/statements/{statement}/pdf")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await owner.GetAsync($"/api/accounts/{accountA}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await owner.GetAsync($"/api/accounts/{accountA}/entries/{charge}")).StatusCode.Should().Be(HttpStatusCode.OK);
        var payment = (await owner.PayPending(accountA, new { amount = 5m, method = "transfer", reference = "A-1" }))["paymentId"]!.GetValue<Guid>();
        (await owner.GetAsync($"/api/accounts/{accountA}/payments/{payment}")).StatusCode.Should().Be(HttpStatusCode.OK);

        var attempts = new Func<HttpClient, Guid, Task<HttpResponseMessage>>[]
        {
            (c, id) => c.GetAsync($"/api/accounts/{id}"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/entries"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/entries/{charge}"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/statements"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/statements/{statement}"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/statements/{statement}/pdf"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/category-totals"),
            (c, id) => c.GetAsync($"/api/accounts/{id}/payments/{payment}"),
            (c, id) => c.PutAsJsonAsync($"/api/accounts/{id}/entries/{charge}/category", new { category = "mine" }),
            (c, id) => c.PostAsJsonAsync($"/api/accounts/{id}/credits", new { amount = 5m, reasonCode = "goodwill", reason = "please" }),
            (c, id) => c.PostAsJsonAsync($"/api/accounts/{id}/payments", new { amount = 5m, method = "transfer" }),
            (c, id) => c.PostAsJsonAsync($"/api/accounts/{id}/disputes", new { entryId = charge, reason = "not mine" }),
            (c, id) => c.PutAsJsonAsync($"/api/accounts/{id}/profile",
                new { holderName = "Mallory", address = new { line1 = "x", city = "y", postalCode = "z", country = "US" } }),
            (c, id) => c.PutAsJsonAsync($"/api/accounts/{id}/contact-preferences", new { channel = "email", email = "mallory@example.org" }),
        };
        foreach (var attempt in attempts)
        {
            var foreign = await attempt(intruder, accountA);
            var missing = await attempt(intruder, Guid.NewGuid());
            foreign.StatusCode.Should().Be(HttpStatusCode.NotFound);
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound);
            var foreignProblem = await foreign.Body();
            var missingProblem = await missing.Body();
            foreignProblem["rule"]!.GetValue<string>().Should().Be(missingProblem["rule"]!.GetValue<string>());
        }

        (await app.Events(accountA)).Select(e => e.Type).Should().Equal("account_opened", "charge_posted", "statement_issued", "payment_initiated");
        var search = await (await intruder.GetAsync("/api/accounts?customerId=cust-a")).Body();
        search["total"]!.GetValue<long>().Should().Be(0);
    }

    [Fact]
    public async Task The_acting_user_recorded_on_events_comes_from_the_token_not_the_body()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var accountId = await desk.OpenAccount("cust-actor");
        using var customer = app.ClientFor(TestUser.Customer("cust-actor"));
        var response = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments",
            new { amount = 5m, method = "transfer", actor = "mike.manager", role = "manager", channel = "desk" });
        response.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var metadata = await app.LastEventMetadata(accountId);
        metadata.Should().Contain("\"actor\": \"customer-cust-actor\"").And.Contain("\"role\": \"customer\"").And.Contain("\"channel\": \"self-service\"");
    }
}
