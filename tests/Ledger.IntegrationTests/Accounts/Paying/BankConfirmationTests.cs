using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Paying;

/// <summary>Checks and transfers wait for the bank; a manager settles or fails them from the bank's statement line.</summary>
[Collection(LedgerCollection.Name)]
public sealed class BankConfirmationTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.checks"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.checks"));

    private Task<HttpResponseMessage> Confirm(HttpClient client, Guid accountId, Guid paymentId, decimal amount, string reference = "NTRY-2026-1201-7") =>
        client.PostAsJsonAsync($"/api/accounts/{accountId}/payments/{paymentId}/confirmation", new { amount, bankReference = reference });

    [Fact]
    public async Task A_check_taken_at_the_desk_settles_when_a_manager_finds_it_on_the_bank_statement_once()
    {
        var accountId = await _desk.OpenAccount("cust-check-clears");
        await _desk.Post(accountId, "charges", new { amount = 90m, description = "Electricity", category = "energy" });
        var paymentId = (await _desk.PayPending(accountId, new { amount = 40m, method = "check", reference = "CHK-5150" }))["paymentId"]!.GetValue<Guid>();

        await (await Confirm(_desk, accountId, paymentId, 40m)).ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await Confirm(_manager, accountId, paymentId, 39.99m)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "settled-amount-differs");
        await (await Confirm(_manager, accountId, Guid.NewGuid(), 40m)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-unknown");
        (await _desk.Balance(accountId)).Should().Be(90m);

        (await Confirm(_manager, accountId, paymentId, 40m)).StatusCode.Should().Be(HttpStatusCode.Created);
        var events = await app.Events(accountId);
        (await Confirm(_manager, accountId, paymentId, 40m)).StatusCode.Should().Be(HttpStatusCode.Created, "the same line again is no news");

        (await app.Events(accountId)).Should().Equal(events);
        events.Select(e => e.Type).Should().EndWith(new[] { "payment_initiated", "payment_confirmed", "payment_received" });
        (await _desk.Balance(accountId)).Should().Be(50m);
        var payment = await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{paymentId}")).Body();
        payment["status"]!.GetValue<string>().Should().Be("settled");
        payment["entryId"]!.GetValue<Guid>().Should().Be(paymentId);
        var history = JsonNode.Parse(await _manager.GetStringAsync($"/api/accounts/{accountId}/history"))!.AsArray();
        var confirmed = history.Single(e => e!["type"]!.GetValue<string>() == "payment_confirmed")!;
        confirmed["actor"]!.GetValue<string>().Should().Be("mgr.checks");
        confirmed["data"]!.GetValue<string>().Should().Contain("\"source\":\"bank\"").And.Contain("NTRY-2026-1201-7");
    }

    [Fact]
    public async Task A_transfer_the_bank_refused_fails_with_its_reason_and_a_card_at_the_processor_is_not_the_managers_to_settle()
    {
        var accountId = await _desk.OpenAccount("cust-transfer-refused");
        await _desk.Post(accountId, "charges", new { amount = 60m, description = "Gas", category = "energy" });
        using var customer = app.ClientFor(TestUser.Customer("cust-transfer-refused"));
        var transfer = (await customer.PayPending(accountId, new { amount = 60m, method = "transfer", reference = "SEPA-991" }))["paymentId"]!.GetValue<Guid>();
        var card = (await customer.PayPending(accountId, new { amount = 20m, method = "card" }))["paymentId"]!.GetValue<Guid>();

        var failed = await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/payments/{transfer}/failure", new { reasonCode = "AC04", reason = "Account closed" });
        failed.StatusCode.Should().Be(HttpStatusCode.OK, await failed.Content.ReadAsStringAsync());
        await (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/payments/{transfer}/failure", new { reasonCode = "", reason = "" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        await (await Confirm(_manager, accountId, card, 20m)).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "settled-by-processor");

        var payment = await (await customer.GetAsync($"/api/accounts/{accountId}/payments/{transfer}")).Body();
        payment["status"]!.GetValue<string>().Should().Be("failed");
        (await customer.Account(accountId))["pendingPayments"]!.AsArray().Select(p => p!["paymentId"]!.GetValue<Guid>()).Should().Equal(card);
        (await customer.Balance(accountId)).Should().Be(60m);
    }

    [Fact]
    public async Task A_returned_check_is_owed_again_with_the_returned_payment_fee_once()
    {
        var accountId = await _desk.OpenAccount("cust-check-returned");
        await _desk.Post(accountId, "charges", new { amount = 100m, description = "Water", category = "water" });
        var check = (await _desk.PayPending(accountId, new { amount = 100m, method = "check", reference = "CHK-404" }))["paymentId"]!.GetValue<Guid>();
        (await Confirm(_manager, accountId, check, 100m, "NTRY-IN-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await _desk.Balance(accountId)).Should().Be(0m);
        Task<HttpResponseMessage> Return(HttpClient client, Guid paymentId) => client.PostAsJsonAsync($"/api/accounts/{accountId}/payments/{paymentId}/return",
            new { bankReference = "NTRY-RTN-9", reasonCode = "AM04", reason = "Insufficient funds on the drawer's account" });

        await (await Return(_desk, check)).ShouldBeProblem(HttpStatusCode.Forbidden);
        (await Return(_manager, check)).StatusCode.Should().Be(HttpStatusCode.OK);
        var events = await app.Events(accountId);
        (await Return(_manager, check)).StatusCode.Should().Be(HttpStatusCode.OK, "the same return line again is no news");

        (await app.Events(accountId)).Should().Equal(events);
        events.Select(e => e.Type).Should().EndWith(new[] { "payment_reversed", "charge_posted" });
        (await _desk.Balance(accountId)).Should().Be(115m, "the 100 is owed again, with the 15 fee");
        var payment = await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{check}")).Body();
        payment["status"]!.GetValue<string>().Should().Be("returned");
        var fees = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries?type=charge&category=fees")).Body();
        fees["items"]!.AsArray().Should().ContainSingle().Which!["description"]!.GetValue<string>().Should().Be("Returned payment fee (AM04)");
        await (await Return(_manager, Guid.NewGuid())).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-unknown");
    }
}
