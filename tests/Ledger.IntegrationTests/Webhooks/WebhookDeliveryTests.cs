using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using static Ledger.IntegrationTests.Webhooks.Subscriptions;

namespace Ledger.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks as a receiver sees them: CloudEvents signed per Standard Webhooks, each account's events in order, nothing
/// lost to an outage, a pause or a slow receiver, and writes never waiting for any of it. Every test has a receiver
/// (a real HTTP server) and a subscription of its own.
/// </summary>
[Collection(WebhookCollection.Name)]
public sealed class WebhookDeliveryTests(WebhookApp app) : IAsyncLifetime
{
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("wendy.csr"));
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        // This test's subscriptions end with it: later tests' events are not sent to a receiver that is gone.
        foreach (var subscription in (await _admin.GetFromJsonAsync<JsonArray>(Route))!.Select(s => s!.AsObject())
                     .Where(s => s["url"]!.GetValue<string>().StartsWith(_receiver.BaseUrl, StringComparison.Ordinal) && s["active"]!.GetValue<bool>()))
            (await _admin.Change(subscription["id"]!.GetValue<Guid>(), subscription["version"]!.GetValue<long>(), subscription["url"]!.GetValue<string>(),
                active: false, reason: "test over")).EnsureSuccessStatusCode();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task Each_event_arrives_as_a_signed_CloudEvent_with_the_event_id_as_webhook_id()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        var before = DateTimeOffset.UtcNow;
        var accountId = await _desk.OpenAccount("cust-webhook-envelope");
        var chargeId = await _desk.Post(accountId, "charges", new { amount = 42.50m, description = "Line rental", category = "usage" });

        var received = await _receiver.WaitForAccepted(r => r.AccountId == accountId, 2);
        received.Should().HaveCount(2);
        var charge = received[1];
        charge.ContentType.Should().Be("application/cloudevents+json; charset=utf-8");
        WebhookReceiver.SignedWith(charge, subscription.Secret).Should().BeTrue("the receiver verifies the signature with the secret it was given");
        WebhookReceiver.SignedWith(charge, "whsec_" + Convert.ToBase64String(new byte[32])).Should().BeFalse();
        long.Parse(charge.Timestamp!).Should().BeInRange(before.ToUnixTimeSeconds() - 5, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);

        var envelope = charge.Envelope;
        envelope["specversion"]!.GetValue<string>().Should().Be("1.0");
        envelope["id"]!.GetValue<string>().Should().Be(charge.Id, "the webhook-id is the CloudEvent's id: the event's own, stable across retries");
        envelope["type"]!.GetValue<string>().Should().Be("ledger.account.charge_posted");
        envelope["source"]!.GetValue<string>().Should().Be($"/api/accounts/{accountId}");
        envelope["datacontenttype"]!.GetValue<string>().Should().Be("application/json");
        envelope["accountid"]!.GetValue<string>().Should().Be(accountId.ToString());
        envelope["streamversion"]!.GetValue<string>().Should().Be("2");
        DateTimeOffset.Parse(envelope["time"]!.GetValue<string>()).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var data = envelope["data"]!.AsObject();
        data["entryId"]!.GetValue<Guid>().Should().Be(chargeId);
        data["amount"]!.GetValue<decimal>().Should().Be(42.50m, "money keeps its exact decimal value");
        received[0].Type.Should().Be("ledger.account.account_opened");

        // The event id is the one the auditor's history shows for that event.
        var history = await app.ClientFor(TestUser.Auditor()).GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history");
        var recorded = history!.Single(e => e!["id"]!.GetValue<Guid>() == Guid.Parse(charge.Id!))!;
        recorded["type"]!.GetValue<string>().Should().Be("charge_posted");
        recorded["version"]!.GetValue<long>().Should().Be(2);

        var log = await _admin.Deliveries(subscription.Id);
        log.Where(d => d["accountId"]!.GetValue<Guid>() == accountId).Should().HaveCount(2)
            .And.OnlyContain(d => d["delivered"]!.GetValue<bool>() && d["statusCode"]!.GetValue<int>() == 204);
    }

    [Fact]
    public async Task A_subscriber_to_cancellation_risk_gets_the_risk_as_it_stands_when_a_payment_settles_on_an_account_in_a_book()
    {
        await _admin.Subscribe(_receiver.Url(), "cancellation_risk_changed");
        var accountId = await _desk.OpenAccount("cust-webhook-risk");
        await _desk.Post(accountId, "charges", new { amount = 30m, description = "Line rental", category = "usage" });
        (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/broker", new { brokerId = "broker-hook" })).EnsureSuccessStatusCode();
        await _desk.Post(accountId, "payments", new { amount = 12m, method = "cash", reference = "RISK-1" });

        var received = await _receiver.WaitForAccepted(r => r.AccountId == accountId, 2);
        received.Select(r => r.Type).Should().Equal(["ledger.account.cancellation_risk_changed", "ledger.account.cancellation_risk_changed"],
            "coming into the book, then the payment; the charge and the assignment themselves are not subscribed");
        var data = received[1].Envelope["data"]!.AsObject();
        data["brokerId"]!.GetValue<string>().Should().Be("broker-hook");
        data["risk"]!["lastPaymentAmount"]!.GetValue<decimal>().Should().Be(12m);
        data["risk"]!["pastDueAmount"]!.GetValue<decimal>().Should().Be(0m, "nothing billed yet");
    }

    [Fact]
    public async Task Subscribing_twice_under_one_idempotency_key_subscribes_once_and_the_secret_is_shown_only_then()
    {
        var key = $"webhook-{Guid.NewGuid()}";
        async Task<HttpResponseMessage> Send()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Route) { Content = JsonContent.Create(new { url = _receiver.Url("idem"), eventTypes = new[] { "*" } }) };
            request.Headers.Add("Idempotency-Key", key);
            return await _admin.SendAsync(request);
        }
        var answers = await Task.WhenAll(Send(), Send(), Send());
        answers.Should().OnlyContain(a => a.StatusCode == HttpStatusCode.Created);
        var bodies = await Task.WhenAll(answers.Select(a => a.Body()));
        bodies.Select(b => b["subscription"]!["id"]!.GetValue<Guid>()).Distinct().Should().HaveCount(1, "one key, one subscription");
        var id = bodies[0]["subscription"]!["id"]!.GetValue<Guid>();
        var secret = bodies[0]["secret"]!.GetValue<string>();
        secret.Should().MatchRegex("^whsec_[A-Za-z0-9+/]{43}=$", "32 random bytes, the Standard Webhooks form");
        (await _admin.GetFromJsonAsync<JsonArray>(Route))!.Count(s => s!["url"]!.GetValue<string>() == _receiver.Url("idem")).Should().Be(1);

        var view = await _admin.Subscription(id);
        view.ToJsonString().Should().NotContain(secret["whsec_".Length..], "a secret is shown once, when made");
        view["secrets"]!["currentSecretId"]!.GetValue<Guid>().Should().NotBeEmpty();
        view["delivery"]!["status"]!.GetValue<string>().Should().Be("delivering");
        (await _admin.GetAsync($"{Route}/{id}")).Headers.ETag!.Tag.Should().Be($"\"{view["version"]}\"");
        var history = await app.ClientFor(TestUser.Admin()).GetStringAsync(Route);
        history.Should().NotContain(secret["whsec_".Length..]);
    }

    [Fact]
    public async Task A_subscription_gets_only_the_event_types_it_named()
    {
        await _admin.Subscribe(_receiver.Url(), "charge_posted", "credit_issued");
        var accountId = await _desk.OpenAccount("cust-webhook-types");
        await _desk.Post(accountId, "charges", new { amount = 10m, description = "Calls", category = "usage" });
        await _desk.Post(accountId, "payments", new { amount = 5m, method = "cash", reference = "WEBHOOK-TYPES" });
        await _desk.Post(accountId, "credits", new { amount = 1m, reasonCode = "goodwill", reason = "Goodwill" });
        await _desk.Post(accountId, "charges", new { amount = 3m, description = "Roaming", category = "usage" });

        var received = await _receiver.WaitForAccepted(r => r.AccountId == accountId, 3);
        received.Select(r => r.Type).Should().Equal("ledger.account.charge_posted", "ledger.account.credit_issued", "ledger.account.charge_posted");
        received.Select(r => r.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        await Task.Delay(500);
        _receiver.Accepted.Count(r => r.AccountId == accountId).Should().Be(3, "nothing else follows");
    }

    [Fact]
    public async Task A_receiver_that_is_down_gets_everything_in_order_when_it_returns_and_writes_never_wait_for_it()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        _receiver.Answer = WebhookReceiver.Behaviour.Fail;
        var accounts = new List<Guid>();
        for (var i = 0; i < 3; i++)
            accounts.Add(await _desk.OpenAccount($"cust-webhook-outage-{i}"));
        await Eventually(async () => (await _admin.Subscription(subscription.Id))["delivery"]!["status"]!.GetValue<string>() == "failing" ? "" : null);
        foreach (var account in accounts)
            for (var i = 0; i < 4; i++)
                await _desk.Post(account, "charges", new { amount = 1m + i, description = $"Outage charge {i}", category = "usage" });

        var state = (await _admin.Subscription(subscription.Id))["delivery"]!;
        state["status"]!.GetValue<string>().Should().Be("failing");
        state["lastError"]!.GetValue<string>().Should().Contain("503");
        (await _admin.Deliveries(subscription.Id, failed: true)).Should().NotBeEmpty().And.OnlyContain(d => !d["delivered"]!.GetValue<bool>());

        _receiver.Answer = WebhookReceiver.Behaviour.Accept;
        foreach (var account in accounts)
            (await _receiver.WaitForAccepted(r => r.AccountId == account, 5)).Should().HaveCountGreaterThanOrEqualTo(5);
        var order = FirstAcceptedVersions(_receiver.Accepted.Where(r => accounts.Contains(r.AccountId)));
        foreach (var account in accounts)
            order[account].Should().Equal([1, 2, 3, 4, 5], "each account's events arrive once each, in stream order, with no gap");
        await Eventually(async () => (await _admin.Subscription(subscription.Id))["delivery"] is { } d &&
                                     d["status"]!.GetValue<string>() == "delivering" && d["recoveredAt"] is not null ? "" : null);
    }

    [Fact]
    public async Task A_receiver_that_hangs_slows_no_write_and_gets_everything_once_it_answers()
    {
        await _admin.Subscribe(_receiver.Url());
        _receiver.HangAgain();
        var accountId = await _desk.OpenAccount("cust-webhook-slow");
        // While the receiver holds every request open, the writes go on: each answered, none waiting for a delivery.
        var writes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _desk.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 2m, description = $"Slow receiver {i}", category = "usage" })));
        writes.Should().OnlyContain(w => w.StatusCode == HttpStatusCode.Created);
        _receiver.Accepted.Should().NotContain(r => r.AccountId == accountId, "the receiver has answered nothing yet");

        _receiver.Release();
        await _receiver.WaitForAccepted(r => r.AccountId == accountId, 11);
        FirstAcceptedVersions(_receiver.Accepted.Where(r => r.AccountId == accountId))[accountId].Should().Equal(Enumerable.Range(1, 11).Select(v => (long)v));
    }

    [Fact]
    public async Task A_paused_subscription_holds_its_events_and_sends_them_in_order_when_resumed()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        var accountId = await _desk.OpenAccount("cust-webhook-pause");
        await _receiver.WaitForAccepted(r => r.AccountId == accountId, 1);

        await (await _admin.Change(subscription.Id, subscription.Version + 5, _receiver.Url(), active: false))
            .ShouldBeProblem(HttpStatusCode.PreconditionFailed);
        var paused = await _admin.Change(subscription.Id, subscription.Version, _receiver.Url(), active: false, reason: "Receiver maintenance");
        paused.StatusCode.Should().Be(HttpStatusCode.OK, await paused.Content.ReadAsStringAsync());
        (await paused.Body())["delivery"]!["status"]!.GetValue<string>().Should().Be("paused");
        for (var i = 0; i < 3; i++)
            await _desk.Post(accountId, "charges", new { amount = 7m, description = $"While paused {i}", category = "usage" });
        await Eventually(async () => (await _admin.Subscription(subscription.Id))["delivery"]!["heldAccounts"]!.GetValue<int>() == 1 ? "" : null);
        _receiver.Accepted.Count(r => r.AccountId == accountId).Should().Be(1, "nothing goes out while paused");

        var resumed = await _admin.Change(subscription.Id, subscription.Version + 1, _receiver.Url(), active: true, reason: "Maintenance over");
        resumed.StatusCode.Should().Be(HttpStatusCode.OK, await resumed.Content.ReadAsStringAsync());
        await _receiver.WaitForAccepted(r => r.AccountId == accountId, 4);
        FirstAcceptedVersions(_receiver.Accepted.Where(r => r.AccountId == accountId))[accountId].Should().Equal(1, 2, 3, 4);
    }

    [Fact]
    public async Task After_a_rotation_deliveries_carry_both_signatures_until_the_overlap_ends()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        var rotation = await _admin.PostAsJsonAsync($"{Route}/{subscription.Id}/secret-rotations", new { overlapMinutes = 60 });
        rotation.StatusCode.Should().Be(HttpStatusCode.Created, await rotation.Content.ReadAsStringAsync());
        var rotated = await rotation.Body();
        var newSecret = rotated["secret"]!.GetValue<string>();
        newSecret.Should().StartWith("whsec_").And.NotBe(subscription.Secret);
        rotated["previousValidUntil"]!.GetValue<DateTimeOffset>().Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(1), TimeSpan.FromMinutes(1));

        var accountId = await _desk.OpenAccount("cust-webhook-rotation");
        var overlapping = (await _receiver.WaitForAccepted(r => r.AccountId == accountId, 1)).Single();
        overlapping.Signature!.Split(' ').Should().HaveCount(2);
        WebhookReceiver.SignedWith(overlapping, subscription.Secret).Should().BeTrue("the old secret is valid during the overlap");
        WebhookReceiver.SignedWith(overlapping, newSecret).Should().BeTrue();

        // A rotation with no overlap: only the newest secret signs.
        var immediate = await (await _admin.PostAsJsonAsync($"{Route}/{subscription.Id}/secret-rotations", new { overlapMinutes = 0 })).Body();
        var newest = immediate["secret"]!.GetValue<string>();
        await _desk.Post(accountId, "charges", new { amount = 1m, description = "After rotation", category = "usage" });
        var after = (await _receiver.WaitForAccepted(r => r.AccountId == accountId, 2))[1];
        WebhookReceiver.SignedWith(after, newest).Should().BeTrue();
        WebhookReceiver.SignedWith(after, newSecret).Should().BeFalse("the previous secret's overlap was zero");
        WebhookReceiver.SignedWith(after, subscription.Secret).Should().BeFalse();
        (await _admin.Subscription(subscription.Id)).ToJsonString().Should().NotContain(newest).And.NotContain(newSecret, "a secret is shown once, when made");
    }

    [Fact]
    public async Task When_the_retries_run_out_the_retry_is_a_dead_letter_and_replaying_it_delivers_everything()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        _receiver.Answer = WebhookReceiver.Behaviour.Fail;
        var accountId = await _desk.OpenAccount("cust-webhook-dead");
        await _desk.Post(accountId, "charges", new { amount = 9m, description = "Never delivered yet", category = "usage" });

        var deadLetter = await Eventually(async () =>
        {
            var letters = await _admin.GetFromJsonAsync<JsonArray>("/api/operations/dead-letters");
            return letters!.Select(l => l!.AsObject()).FirstOrDefault(l => l["exceptionMessage"]!.GetValue<string>().Contains(subscription.Id.ToString()));
        }, TimeSpan.FromSeconds(60));
        deadLetter["exceptionType"]!.GetValue<string>().Should().EndWith("WebhookReceiverUnavailable");
        var attempts = await _admin.Deliveries(subscription.Id, failed: true);
        attempts.Count.Should().BeGreaterThanOrEqualTo(1 + WebhookApp.RetryDelays.Split(',').Length, "the first attempt and one per scheduled retry");
        _receiver.Accepted.Should().NotContain(r => r.AccountId == accountId);

        _receiver.Answer = WebhookReceiver.Behaviour.Accept;
        (await _admin.PostAsync($"/api/operations/dead-letters/{deadLetter["id"]}/replay", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        await _receiver.WaitForAccepted(r => r.AccountId == accountId, 2);
        FirstAcceptedVersions(_receiver.Accepted.Where(r => r.AccountId == accountId))[accountId].Should().Equal(1, 2);
    }

    [Fact]
    public async Task An_admin_can_retry_at_once_instead_of_waiting_for_the_next_attempt()
    {
        var subscription = await _admin.Subscribe(_receiver.Url());
        _receiver.Answer = WebhookReceiver.Behaviour.Fail;
        var accountId = await _desk.OpenAccount("cust-webhook-retry-now");
        await Eventually(async () => (await _admin.Subscription(subscription.Id))["delivery"]!["status"]!.GetValue<string>() == "failing" ? "" : null);
        _receiver.Answer = WebhookReceiver.Behaviour.Accept;
        var retry = await _admin.PostAsync($"{Route}/{subscription.Id}/retries", null);
        retry.StatusCode.Should().Be(HttpStatusCode.Accepted, await retry.Content.ReadAsStringAsync());
        (await _receiver.WaitForAccepted(r => r.AccountId == accountId, 1)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Fifty_writers_and_a_receiver_failing_at_random_still_get_each_accounts_events_once_each_in_order()
    {
        await _admin.Subscribe(_receiver.Url());
        _receiver.FailureRate = 0.3;
        var accounts = new List<Guid>();
        for (var i = 0; i < 5; i++)
            accounts.Add(await _desk.OpenAccount($"cust-webhook-race-{i}"));
        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            _desk.PostAsJsonAsync($"/api/accounts/{accounts[i % accounts.Count]}/charges", new { amount = 1.25m, description = $"Racing write {i}", category = "usage" })));
        writes.Should().OnlyContain(w => w.StatusCode == HttpStatusCode.Created);
        // Some deliveries fail and are retried; then the receiver settles down so the retries do not run out.
        await Eventually(async () =>
        {
            await Task.Yield();
            return _receiver.Requests.Count(r => !r.Accepted) >= 3 ? "" : null;
        });
        _receiver.FailureRate = 0;

        foreach (var account in accounts)
        {
            var version = await _desk.Version(account);
            version.Should().Be(11);
            await Eventually(async () =>
            {
                await Task.Yield();
                return FirstAcceptedVersions(_receiver.Accepted.Where(r => r.AccountId == account)).GetValueOrDefault(account)?.Count == 11 ? "" : null;
            }, TimeSpan.FromSeconds(60));
            FirstAcceptedVersions(_receiver.Accepted.Where(r => r.AccountId == account))[account]
                .Should().Equal(Enumerable.Range(1, 11).Select(v => (long)v), "whatever failed and was retried, the account's events arrive in order");
        }
        _receiver.Requests.Should().Contain(r => !r.Accepted, "the receiver did fail some deliveries");
    }
}
