using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Intake;

/// <summary>Money the bank feed saw arrive, pushed to the payments queue: applied as the bank statement import applies it, once.</summary>
[Collection(FeedCollection.Name)]
public sealed class PaymentIntakeTests(FeedApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("paula.csr"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private static string Payment(Guid accountId, string key, decimal amount, Guid? paymentId = null, string currency = "USD") =>
        JsonSerializer.Serialize(new { idempotencyKey = key, accountId, paymentId, amount, currency, method = "transfer", reference = "INV-42",
            bankReference = $"NTRY-{key}" });

    private Task<decimal> BalanceWhen(Guid accountId, decimal expected) => Poll.Until(() => _desk.Balance(accountId), balance => balance == expected);

    [Fact]
    public async Task A_payment_from_the_feed_settles_the_pending_transfer_it_names_once_however_often_it_is_delivered()
    {
        var accountId = await _desk.OpenAccount("cust-intake-pay");
        await _desk.Post(accountId, "charges", new { amount = 80m, description = "Gas", category = "energy" });
        var customer = app.ClientFor(TestUser.Customer("cust-intake-pay"));
        var transfer = (await customer.PayPending(accountId, new { amount = 30m, method = "transfer", reference = "SEPA-77" }))["paymentId"]!.GetValue<Guid>();

        var message = Payment(accountId, $"bank-{Guid.NewGuid():N}", 30m, transfer);
        for (var i = 0; i < 3; i++)
            await FeedConsumer.PublishAsync(app.PaymentsQueue, message);

        (await BalanceWhen(accountId, 50m)).Should().Be(50m);
        await Task.Delay(1500);
        (await _desk.Balance(accountId)).Should().Be(50m, "three deliveries, one payment");
        var payment = await (await _desk.GetAsync($"/api/accounts/{accountId}/payments/{transfer}")).Body();
        payment["status"]!.GetValue<string>().Should().Be("settled");
        var history = (await _auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        history.Count(e => e!["type"]!.GetValue<string>() == "payment_received").Should().Be(1);
        history.Single(e => e!["type"]!.GetValue<string>() == "payment_confirmed")!["actor"]!.GetValue<string>().Should().Be("client:bank-feed");
    }

    [Fact]
    public async Task Money_for_no_pending_payment_is_a_payment_of_its_own_and_money_in_another_currency_is_dead_lettered()
    {
        var accountId = await _desk.OpenAccount("cust-intake-own");
        await FeedConsumer.PublishAsync(app.PaymentsQueue, Payment(accountId, $"bank-{Guid.NewGuid():N}", 12m, currency: "EUR"));
        await FeedConsumer.PublishAsync(app.PaymentsQueue, JsonSerializer.Serialize(new { idempotencyKey = "bank-x", accountId, amount = 5m }));
        await FeedConsumer.PublishAsync(app.PaymentsQueue, Payment(accountId, $"bank-{Guid.NewGuid():N}", 12m));

        (await BalanceWhen(accountId, -12m)).Should().Be(-12m, "the dollars arrived; the euros did not go onto a dollar account");
        var dead = await FeedConsumer.TakeAsync($"{app.PaymentsQueue}.dead-letters", 2, TimeSpan.FromSeconds(30));
        dead.Should().HaveCount(2);
        dead.Select(d => JsonNode.Parse(d.Headers["exception-message"])!["status"]!.GetValue<int>()).Should().OnlyContain(s => s == 400 || s == 422 || s == 409);
        dead.Select(d => JsonNode.Parse(d.Headers["exception-message"])!["rule"]!.GetValue<string>()).Should().Contain("invalid-request");
    }
}
