using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Access;

/// <summary>
/// In-house systems call the API with OAuth2 client credentials from a real issuer (OpenIddict): each scope opens its
/// routes and no other, and what a system writes names the system, never a person. The refusals of tokens that mix a
/// person with a system's scopes are in <see cref="MixedIdentityTests"/>; every scope on every route in
/// <see cref="AccessMatrixTests"/>.
/// </summary>
[Collection(MachineClientCollection.Name)]
public sealed class MachineClientTests(MachineClientApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("cora.csr"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private static string Unique(string name) => $"{name}-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task A_rating_engine_posts_charges_with_its_client_credentials_and_its_events_name_the_client()
    {
        var engine = Unique("rating-engine");
        using var system = await app.SystemAsync(engine, "ledger.charges.write");
        var accountId = await _desk.OpenAccount("cust-machine-charges");

        var single = await system.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 12.5m, description = "Calls, May", category = "calls" });
        single.StatusCode.Should().Be(HttpStatusCode.Created, await single.Content.ReadAsStringAsync());
        var bulk = await system.PostAsJsonAsync("/api/bulk/charges", new
        {
            items = new[] { new { accountId, idempotencyKey = "usage-1", amount = 3m, description = "Data, 3 GB", category = "data" } },
        });
        bulk.StatusCode.Should().Be(HttpStatusCode.OK);
        (await bulk.Body())["applied"]!.GetValue<int>().Should().Be(1);

        var history = (await _auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        var charges = history.Where(e => e!["type"]!.GetValue<string>() == "charge_posted").ToList();
        charges.Should().HaveCount(2);
        foreach (var charge in charges)
        {
            charge!["actor"]!.GetValue<string>().Should().Be($"client:{engine}");
            charge["role"]!.GetValue<string>().Should().Be("client");
            charge["channel"]!.GetValue<string>().Should().Be("integration");
        }
        (await _desk.Balance(accountId)).Should().Be(15.5m);
    }

    [Fact]
    public async Task Each_scope_opens_its_own_routes_and_no_other()
    {
        using var crm = await app.SystemAsync(Unique("crm"), "ledger.accounts.write", "ledger.read");
        using var warehouse = await app.SystemAsync(Unique("warehouse"), "ledger.read");
        using var engine = await app.SystemAsync(Unique("rating"), "ledger.charges.write");

        var opened = await crm.OpenAccount("cust-machine-crm");
        (await crm.Account(opened))["customerId"]!.GetValue<string>().Should().Be("cust-machine-crm");
        (await warehouse.GetAsync($"/api/accounts/{opened}/entries")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await warehouse.GetAsync($"/api/accounts?customerId=cust-machine-crm")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await warehouse.PostAsJsonAsync($"/api/accounts/{opened}/charges", new { amount = 1m, description = "d", category = "c" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "reading is not writing");
        (await engine.GetAsync($"/api/accounts/{opened}")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a rating engine posts, it does not read");
        (await engine.PostAsJsonAsync($"/api/accounts/{opened}/credits", new { amount = 1m, reasonCode = "goodwill", reason = "r" }))
            .StatusCode.Should().Be(HttpStatusCode.Forbidden, "credits are a person's decision, within their limits");
        (await crm.GetAsync("/api/audit")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "audit trails are staff's");
        (await crm.GetAsync("/api/policy")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await app.Events(opened)).Select(e => e.Type).Should().Equal("account_opened");
    }

    [Fact]
    public async Task The_issuer_gives_a_client_no_scope_it_was_not_granted()
    {
        var client = Unique("warehouse");
        await app.Provider.RegisterMachineClientAsync(client, "s3cret", "ledger.read");

        var answer = await app.Provider.RequestClientTokenAsync(client, "s3cret", "ledger.read", "ledger.charges.write");

        answer.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        // OpenIddict answers a registered scope the client may not use with invalid_request, an unknown one with invalid_scope.
        (await answer.Body())["error"]!.GetValue<string>().Should().BeOneOf("invalid_request", "invalid_scope");
        (await app.Provider.RequestClientTokenAsync(client, "wrong-secret", "ledger.read")).IsSuccessStatusCode.Should().BeFalse();
    }

    [Fact]
    public async Task A_bank_feed_applies_a_credit_once_however_often_and_however_concurrently_it_sends_it()
    {
        using var feed = await app.SystemAsync(Unique("bank-feed"), "ledger.payments.write");
        var accountId = await _desk.OpenAccount("cust-machine-bank");
        await _desk.Post(accountId, "charges", new { amount = 40m, description = "Line rental", category = "rental" });
        var credit = new
        {
            idempotencyKey = $"ntry-{Guid.NewGuid():N}", accountId, amount = 25m, currency = "USD", method = "transfer",
            reference = "INV-1", bankReference = "NTRY-4471",
        };

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => feed.PostAsJsonAsync("/api/bank-credits", credit)));

        // Every copy gets the first answer again (Idempotency-Key replay), naming the one payment.
        answers.Select(a => a.StatusCode).Should().AllSatisfy(s => s.Should().Be(HttpStatusCode.Created));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Body())["id"]!.GetValue<Guid>()));
        ids.Distinct().Should().ContainSingle();
        var again = await feed.PostAsJsonAsync("/api/bank-credits", credit);
        (await again.Body())["id"]!.GetValue<Guid>().Should().Be(ids[0]);
        (await _desk.Balance(accountId)).Should().Be(15m, "one payment of 25 against 40, however often it was sent");
        (await app.Events(accountId)).Select(e => e.Type).Where(t => t.StartsWith("payment"))
            .Should().Equal(["payment_confirmed", "payment_received"], "the bank's money, confirmed once");

        var mixed = new HttpRequestMessage(HttpMethod.Post, "/api/bank-credits") { Content = JsonContent.Create(credit) };
        mixed.Headers.Add("Idempotency-Key", "another-key");
        await (await feed.SendAsync(mixed)).ShouldBeProblem(HttpStatusCode.BadRequest, "idempotency-key-mismatch");
    }
}
