using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Paying;

/// <summary>
/// Card payments online, end to end: the ledger's real Stripe.net client opens the hosted page at the processor stand-in,
/// a card is typed there as a browser would, and the stand-in's signed webhooks come back into the ledger.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CardPaymentTests(LedgerApp app)
{
    private const string Webhook = "/api/payment-webhooks/stripe";
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.cards"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private async Task<(Guid AccountId, HttpClient Customer)> OwingAccount(string customerId, decimal owes = 120m)
    {
        var accountId = await _desk.OpenAccount(customerId);
        await _desk.Post(accountId, "charges", new { amount = owes, description = "Broadband", category = "internet" });
        return (accountId, app.ClientFor(TestUser.Customer(customerId)));
    }

    private async Task<JsonObject> Payment(HttpClient client, Guid accountId, Guid paymentId) =>
        await (await client.GetAsync($"/api/accounts/{accountId}/payments/{paymentId}")).Body();

    private Task<JsonObject> Eventually(HttpClient client, Guid accountId, Guid paymentId, string status) =>
        Poll.Until(() => Payment(client, accountId, paymentId), payment => payment["status"]!.GetValue<string>() == status);

    private async Task<IReadOnlyList<string>> Types(Guid accountId) => (await app.Events(accountId)).Select(e => e.Type).ToList();

    [Fact]
    public async Task A_card_payment_is_pending_until_the_processor_confirms_it_then_the_balance_falls()
    {
        var (accountId, customer) = await OwingAccount("cust-card-ok");
        var started = await customer.PayPending(accountId, new { amount = 120m, method = "card" });

        var paymentId = started["paymentId"]!.GetValue<Guid>();
        started["processorReference"]!.GetValue<string>().Should().StartWith("cs_test_");
        var page = started["paymentPageUrl"]!.GetValue<string>();
        page.Should().StartWith(app.Processor.BaseUrl + "/pay/");
        var account = await customer.Account(accountId);
        account["balance"]!.GetValue<decimal>().Should().Be(120m, "saying one paid moves nothing");
        account["pendingPayments"]!.AsArray().Should().ContainSingle()
            .Which!["paymentId"]!.GetValue<Guid>().Should().Be(paymentId);
        (await _desk.Account(accountId))["pendingPayments"]!.AsArray().Should().HaveCount(1, "the desk sees it too");

        var paid = await app.Processor.PayAsync(page);
        paid.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        paid.Headers.Location!.ToString().Should().EndWith($"/portal/accounts/{accountId}/payments/{paymentId}");

        var settled = await Eventually(customer, accountId, paymentId, "settled");
        settled["status"]!.GetValue<string>().Should().Be("settled", settled.ToJsonString());
        settled["entryId"]!.GetValue<Guid>().Should().Be(paymentId);
        settled["balance"]!.GetValue<decimal>().Should().Be(0m);
        (await customer.Account(accountId))["pendingPayments"]!.AsArray().Should().BeEmpty();
        (await Types(accountId)).Should().EndWith(new[] { "payment_initiated", "payment_confirmed", "payment_received" });
        var entry = await (await customer.GetAsync($"/api/accounts/{accountId}/entries/{paymentId}")).Body();
        entry["amount"]!.GetValue<decimal>().Should().Be(120m);
        entry.ToJsonString().Should().Contain("visa").And.Contain("4242").And.NotContain("4242424242424242");

        var history = JsonNode.Parse(await _auditor.GetStringAsync($"/api/accounts/{accountId}/history"))!.AsArray();
        var confirmed = history.Single(e => e!["type"]!.GetValue<string>() == "payment_confirmed")!;
        confirmed["actor"]!.GetValue<string>().Should().Be("system:stripe");
        confirmed["channel"]!.GetValue<string>().Should().Be("processor");
        confirmed["data"]!.GetValue<string>().Should().Contain("\"source\":\"stripe\"").And.Contain("pi_");
    }

    [Theory]
    [InlineData("JPY", 5000)]
    [InlineData("EUR", 12.34)]
    [InlineData("KWD", 1.23)]
    public async Task A_card_payment_in_a_currency_of_0_2_or_3_decimals_reaches_the_processor_in_its_smallest_unit_and_settles_exactly(
        string currency, double owed)
    {
        var amount = (decimal)owed;
        var customerId = $"cust-card-{currency.ToLowerInvariant()}";
        var accountId = await _desk.OpenAccount(customerId, currency);
        await _desk.Post(accountId, "charges", new { amount, description = "Plan", category = "plan" });
        using var customer = app.ClientFor(TestUser.Customer(customerId));
        var started = await customer.PayPending(accountId, new { amount, method = "card" });
        var paymentId = started["paymentId"]!.GetValue<Guid>();

        var page = await app.Processor.Http.GetStringAsync(started["paymentPageUrl"]!.GetValue<string>());
        page.Should().Contain(currency, "the hosted page shows what will be charged");
        await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>());

        (await Eventually(customer, accountId, paymentId, "settled"))["status"]!.GetValue<string>().Should().Be("settled");
        (await customer.Balance(accountId)).Should().Be(0m);
        var intent = (await app.Processor.EventsAsync("payment_intent.succeeded"))
            .Single(e => e!["data"]!["object"]!["metadata"]!["ledger_payment_id"]!.GetValue<string>() == paymentId.ToString())!["data"]!["object"]!;
        intent["currency"]!.GetValue<string>().Should().Be(currency.ToLowerInvariant());
        intent["amount"]!.GetValue<long>().Should().Be(currency switch { "JPY" => 5000, "EUR" => 1234, _ => 1230 });
    }

    [Fact]
    public async Task A_card_amount_the_processor_would_not_take_is_refused_before_anything_is_sent()
    {
        var accountId = await _desk.OpenAccount("cust-card-kwd-odd", "KWD");
        await _desk.Post(accountId, "charges", new { amount = 1.235m, description = "Plan", category = "plan" });
        using var customer = app.ClientFor(TestUser.Customer("cust-card-kwd-odd"));
        var sessions = app.Processor.SessionCount;

        var refused = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 1.235m, method = "card" });

        (await refused.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "card-amount-not-accepted"))["detail"]!.GetValue<string>().Should().Contain("1.230");
        (await Types(accountId)).Should().NotContain("payment_initiated");
        (await customer.PayPending(accountId, new { amount = 1.235m, method = "transfer", reference = "KW-1" }))["status"]!.GetValue<string>()
            .Should().Be("pending", "a transfer of the exact amount is fine");
        app.Processor.SessionCount.Should().Be(sessions, "nothing reached the processor");
    }

    [Fact]
    public async Task A_declined_card_fails_the_payment_with_the_processors_reason_and_applies_nothing()
    {
        var (accountId, customer) = await OwingAccount("cust-card-declined");
        var started = await customer.PayPending(accountId, new { amount = 60m, method = "card" });
        var paymentId = started["paymentId"]!.GetValue<Guid>();

        (await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>(), "4000 0000 0000 9995")).StatusCode
            .Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.SeeOther, HttpStatusCode.PaymentRequired, HttpStatusCode.UnprocessableEntity);

        var failed = await Eventually(customer, accountId, paymentId, "failed");
        failed["status"]!.GetValue<string>().Should().Be("failed", failed.ToJsonString());
        failed["balance"]!.GetValue<decimal>().Should().Be(120m);
        (await customer.Account(accountId))["pendingPayments"]!.AsArray().Should().BeEmpty();
        (await Types(accountId)).Should().EndWith(new[] { "payment_initiated", "payment_failed" }).And.NotContain("payment_received");
        var history = JsonNode.Parse(await _auditor.GetStringAsync($"/api/accounts/{accountId}/history"))!.AsArray();
        history.Single(e => e!["type"]!.GetValue<string>() == "payment_failed")!["data"]!.GetValue<string>().Should().Contain("insufficient_funds");
    }

    [Fact]
    public async Task The_same_webhook_delivered_again_applies_once()
    {
        var (accountId, customer) = await OwingAccount("cust-card-twice");
        var started = await customer.PayPending(accountId, new { amount = 50m, method = "card" });
        var paymentId = started["paymentId"]!.GetValue<Guid>();
        await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>());
        await Eventually(customer, accountId, paymentId, "settled");
        var before = await app.Events(accountId);

        var succeeded = (await app.Processor.EventsAsync("payment_intent.succeeded"))
            .Single(e => e!["data"]!["object"]!["metadata"]!["ledger_payment_id"]!.GetValue<string>() == paymentId.ToString())!;
        var eventId = succeeded["id"]!.GetValue<string>();
        for (var i = 0; i < 3; i++)
            await app.Processor.ControlAsync($"/_standin/events/{eventId}/resend");
        for (var deadline = DateTime.UtcNow.AddSeconds(20); (await app.Processor.DeliveriesAsync(eventId)).Count(d => d!["outcome"]?.ToString() is "delivered") < 4
             && DateTime.UtcNow < deadline;)
            await Task.Delay(100);

        (await app.Processor.DeliveriesAsync(eventId)).Count(d => d!["outcome"]?.ToString() is "delivered").Should().Be(4, "every delivery was answered 2xx");
        (await app.Events(accountId)).Should().Equal(before, "a repeated event changes nothing");
        (await customer.Balance(accountId)).Should().Be(70m);
    }

    [Fact]
    public async Task A_forged_a_stale_or_a_missing_signature_is_refused_and_records_nothing()
    {
        var (accountId, customer) = await OwingAccount("cust-card-forged");
        var started = await customer.PayPending(accountId, new { amount = 120m, method = "card" });
        var paymentId = started["paymentId"]!.GetValue<Guid>();
        var payload = SucceededEvent(accountId, paymentId, 12000);
        var before = await app.Events(accountId);
        using var anonymous = app.CreateClient();

        var forged = await Send(anonymous, payload, Sign(payload, "whsec_guessed_by_an_attacker", DateTimeOffset.UtcNow));
        var stale = await Send(anonymous, payload, Sign(payload, StandIn.WebhookSecret, DateTimeOffset.UtcNow.AddMinutes(-10)));
        var missing = await Send(anonymous, payload, null);
        var altered = await Send(anonymous, payload.Replace("12000", "99999"), Sign(payload, StandIn.WebhookSecret, DateTimeOffset.UtcNow));

        foreach (var refused in new[] { forged, stale, missing, altered })
            await refused.ShouldBeProblem(HttpStatusCode.BadRequest, "webhook-signature-invalid");
        (await app.Events(accountId)).Should().Equal(before);
        (await customer.Balance(accountId)).Should().Be(120m);

        // The genuine article, signed with the endpoint's secret, is applied.
        var genuine = await Send(anonymous, payload, Sign(payload, StandIn.WebhookSecret, DateTimeOffset.UtcNow));
        genuine.StatusCode.Should().Be(HttpStatusCode.OK, await genuine.Content.ReadAsStringAsync());
        (await customer.Balance(accountId)).Should().Be(0m);
    }

    [Fact]
    public async Task An_event_for_a_payment_the_ledger_does_not_know_is_kept_for_review()
    {
        var (accountId, _) = await OwingAccount("cust-card-unknown");
        var before = await app.Events(accountId);
        var payload = SucceededEvent(accountId, Guid.NewGuid(), 500);
        using var anonymous = app.CreateClient();

        var response = await Send(anonymous, payload, Sign(payload, StandIn.WebhookSecret, DateTimeOffset.UtcNow));

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the processor must not retry an event the ledger has kept");
        (await response.Body())["keptForReview"]!.GetValue<string>().Should().Contain("No payment");
        (await app.Events(accountId)).Should().Equal(before);
        var review = JsonNode.Parse(await _auditor.GetStringAsync("/api/payment-webhooks/review"))!.AsArray();
        review.Should().Contain(e => e!["id"]!.GetValue<string>() == JsonNode.Parse(payload)!["id"]!.GetValue<string>());
        (await app.ClientFor(TestUser.Customer("cust-card-unknown")).GetAsync("/api/payment-webhooks/review")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_customer_cannot_pay_far_more_than_owed_and_nothing_reaches_the_processor()
    {
        var (accountId, customer) = await OwingAccount("cust-card-toomuch", owes: 100m);
        var sessionsBefore = app.Processor.SessionCount;

        var refused = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 900_000m, method = "card" });
        var transfer = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 900_000m, method = "transfer" });
        var cash = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 10m, method = "cash" });
        var brand = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 10m, method = "card", cardBrand = "visa", cardLast4 = "4242" });

        var problem = await refused.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-above-amount-due");
        problem["detail"]!.GetValue<string>().Should().Contain("600");
        await transfer.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-above-amount-due");
        await cash.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "cash-only-at-desk");
        await brand.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "card-details-not-taken");
        (await Types(accountId)).Should().Equal("account_opened", "charge_posted");
        app.Processor.SessionCount.Should().Be(sessionsBefore, "a refused payment never reaches the processor");

        // Pending payments count against what may still be paid.
        await customer.PayPending(accountId, new { amount = 500m, method = "transfer", reference = "SEPA-77" });
        await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 500.01m, method = "card" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-above-amount-due");
    }

    [Fact]
    public async Task A_retried_request_with_the_same_key_gets_the_same_payment_and_the_same_page()
    {
        var (accountId, customer) = await OwingAccount("cust-card-retry");
        async Task<HttpResponseMessage> Start() => await customer.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/payments")
        {
            Content = JsonContent.Create(new { amount = 30m, method = "card" }),
            Headers = { { "Idempotency-Key", "card-retry-1" } },
        });

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Start()));

        answers.Select(a => a.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Accepted);
        var bodies = await Task.WhenAll(answers.Select(a => a.Body()));
        bodies.Select(b => b["paymentId"]!.GetValue<Guid>()).Distinct().Should().ContainSingle();
        bodies.Select(b => b["processorReference"]!.GetValue<string>()).Distinct().Should().ContainSingle();
        bodies.Select(b => b["paymentPageUrl"]!.GetValue<string>()).Distinct().Should().ContainSingle();
        (await Types(accountId)).Count(t => t == "payment_initiated").Should().Be(1);
    }

    [Fact]
    public async Task The_desk_takes_cash_and_terminal_cards_at_once_and_checks_and_transfers_pending()
    {
        var (accountId, _) = await OwingAccount("cust-desk-pays", owes: 200m);

        var cash = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 20m, method = "cash" });
        var terminal = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 30m, method = "card", cardBrand = "visa", cardLast4 = "1111" });
        var check = await _desk.PayPending(accountId, new { amount = 40m, method = "check", reference = "CHK-2001" });
        var noLast4 = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 5m, method = "card" });

        cash.StatusCode.Should().Be(HttpStatusCode.Created);
        (await cash.Body())["status"]!.GetValue<string>().Should().Be("settled");
        terminal.StatusCode.Should().Be(HttpStatusCode.Created);
        check["processorReference"].Should().BeNull("the bank settles a check, not the card processor");
        check["paymentPageUrl"].Should().BeNull();
        await noLast4.ShouldBeProblem(HttpStatusCode.UnprocessableEntity);
        (await _desk.Balance(accountId)).Should().Be(150m, "the check is pending");
        (await _desk.Account(accountId))["pendingPayments"]!.AsArray().Single()!["reference"]!.GetValue<string>().Should().Be("CHK-2001");
    }

    [Fact]
    public async Task A_chargeback_takes_the_money_back_and_a_dispute_won_gives_it_back_once()
    {
        var (accountId, customer) = await OwingAccount("cust-card-dispute", owes: 200m);
        async Task<(Guid PaymentId, string Dispute)> PaidThenDisputed(decimal amount)
        {
            var started = await customer.PayPending(accountId, new { amount, method = "card" });
            var paymentId = started["paymentId"]!.GetValue<Guid>();
            await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>(), "4000 0000 0000 0259");
            (await Eventually(customer, accountId, paymentId, "charged-back"))["status"]!.GetValue<string>().Should().Be("charged-back");
            var intent = (await app.Processor.EventsAsync("payment_intent.succeeded"))
                .Single(e => e!["data"]!["object"]!["metadata"]!["ledger_payment_id"]!.GetValue<string>() == paymentId.ToString())!
                ["data"]!["object"]!["id"]!.GetValue<string>();
            var disputes = JsonNode.Parse(await app.Processor.Http.GetStringAsync("/_standin/disputes"))!.AsArray();
            return (paymentId, disputes.Single(d => d!["payment_intent"]!.GetValue<string>() == intent)!["id"]!.GetValue<string>());
        }

        var (won, wonDispute) = await PaidThenDisputed(80m);
        (await customer.Balance(accountId)).Should().Be(200m, "the 80 paid came back to the card holder");
        var (lost, lostDispute) = await PaidThenDisputed(50m);
        (await customer.Balance(accountId)).Should().Be(200m);

        await app.Processor.ControlAsync($"/_standin/disputes/{wonDispute}/close?outcome=won");
        (await Eventually(customer, accountId, won, "settled"))["status"]!.GetValue<string>().Should().Be("settled");
        await app.Processor.ControlAsync($"/_standin/disputes/{lostDispute}/close?outcome=lost");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); (await app.Processor.DeliveriesAsync()).Any(d => d!["outcome"]?.ToString() == "retry_scheduled")
             && DateTime.UtcNow < deadline;)
            await Task.Delay(100);
        await Task.Delay(500);

        (await customer.Balance(accountId)).Should().Be(120m, "the dispute won puts the 80 back; the one lost leaves the 50 owed");
        (await Payment(customer, accountId, lost))["status"]!.GetValue<string>().Should().Be("charged-back");
        var types = await Types(accountId);
        types.Count(t => t == "payment_reversed").Should().Be(2);
        types.Count(t => t == "payment_reinstated").Should().Be(1);
        var entry = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries/{won}")).Body();
        entry["reversals"]!.AsArray().Should().ContainSingle().Which!["reinstatedAt"].Should().NotBeNull();

        // The processor telling it again changes nothing.
        foreach (var type in new[] { "charge.dispute.created", "charge.dispute.closed" })
        foreach (var e in (await app.Processor.EventsAsync(type)).Where(e => e!["data"]!["object"]!["id"]!.GetValue<string>() is var id
                     && (id == wonDispute || id == lostDispute)))
            await app.Processor.ControlAsync($"/_standin/events/{e!["id"]!.GetValue<string>()}/resend");
        await Task.Delay(1_500);
        (await Types(accountId)).Should().Equal(types);
        (await customer.Balance(accountId)).Should().Be(120m);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, string payload, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null)
            request.Headers.Add("Stripe-Signature", signature);
        return await client.SendAsync(request);
    }

    /// <summary>A signature as Stripe makes one: HMAC-SHA256 of "{timestamp}.{payload}" under the endpoint's secret.</summary>
    private static string Sign(string payload, string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds();
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private static string SucceededEvent(Guid accountId, Guid paymentId, long amount) =>
        new JsonObject
        {
            ["id"] = $"evt_test_{Guid.NewGuid():N}",
            ["object"] = "event",
            ["api_version"] = Stripe.StripeConfiguration.ApiVersion,
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["type"] = "payment_intent.succeeded",
            ["data"] = new JsonObject
            {
                ["object"] = new JsonObject
                {
                    ["id"] = $"pi_test_{Guid.NewGuid():N}",
                    ["object"] = "payment_intent",
                    ["amount"] = amount,
                    ["amount_received"] = amount,
                    ["currency"] = "usd",
                    ["status"] = "succeeded",
                    ["metadata"] = new JsonObject { ["ledger_payment_id"] = paymentId.ToString(), ["ledger_account_id"] = accountId.ToString() },
                },
            },
        }.ToJsonString();
}
