using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.EventFeed;

/// <summary>Every committed account event on RabbitMQ, once each, as CloudEvents with its type as the routing key.</summary>
[Collection(FeedCollection.Name)]
public sealed class EventFeedTests(FeedApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("fiona.csr"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task Each_account_event_is_published_with_its_CloudEvents_attributes_as_headers_and_its_data_as_body()
    {
        await using var consumer = await FeedConsumer.StartAsync(app.Exchange);
        var accountId = await _desk.OpenAccount("cust-feed-shape");
        var chargeId = await _desk.Post(accountId, "charges", new { amount = 12.34m, description = "Feed charge", category = "usage" });

        var messages = await consumer.WaitFor(m => m.AccountId == accountId, 2);
        messages.Select(m => m.RoutingKey).Should().Equal("ledger.account.account_opened", "ledger.account.charge_posted");
        var charge = messages[1];
        charge.ContentType.Should().Be("application/json");
        charge.Headers["cloudEvents:specversion"].Should().Be("1.0");
        charge.Headers["cloudEvents:type"].Should().Be("ledger.account.charge_posted");
        charge.Headers["cloudEvents:source"].Should().Be($"/api/accounts/{accountId}");
        charge.Headers["cloudEvents:streamversion"].Should().Be("2");
        DateTimeOffset.Parse(charge.Headers["cloudEvents:time"]).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        charge.Data["entryId"]!.GetValue<Guid>().Should().Be(chargeId);
        charge.Data["amount"]!.GetValue<decimal>().Should().Be(12.34m);

        var history = (await _auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{accountId}/history"))!;
        messages.Select(m => m.Id).Should().Equal(history.Select(e => e!["id"]!.ToString()), "the message id is the event's id, in stream order");
    }

    [Fact]
    public async Task A_corporate_trees_budget_alert_is_published_under_ledger_corporate_naming_the_tree()
    {
        await using var corporate = await FeedConsumer.StartAsync(app.Exchange, "ledger.corporate.#");
        var corporateId = $"feed-{Guid.NewGuid():N}"[..20];
        var opened = await (await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Feed Co" })).Body();
        var (treeId, root) = (opened["treeId"]!.GetValue<Guid>(), opened["rootId"]!.GetValue<Guid>());
        var member = await _desk.OpenAccount($"{corporateId}-m");
        (await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = root })).EnsureSuccessStatusCode();
        (await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{root}", new { amount = 10m, currency = "USD", thresholds = new[] { 50 } }))
            .EnsureSuccessStatusCode();
        await _desk.Post(member, "charges", new { amount = 6m, description = "Calls", category = "voice" });

        var alert = (await corporate.WaitFor(m => m.Headers.GetValueOrDefault("cloudEvents:treeid") == treeId.ToString(), 1)).Single();
        alert.RoutingKey.Should().Be("ledger.corporate.corporate_budget_alerted");
        alert.Headers["cloudEvents:source"].Should().Be($"/api/corporate-trees/{treeId}");
        (alert.Data["threshold"]!.GetValue<int>(), alert.Data["spend"]!.GetValue<decimal>()).Should().Be((50, 6m));
    }

    [Fact]
    public async Task A_queue_bound_to_some_types_gets_only_those()
    {
        await using var payments = await FeedConsumer.StartAsync(app.Exchange, "ledger.account.payment_received");
        var accountId = await _desk.OpenAccount("cust-feed-binding");
        await _desk.Post(accountId, "charges", new { amount = 10m, description = "Feed charge", category = "usage" });
        await _desk.Post(accountId, "payments", new { amount = 4m, method = "cash", reference = "FEED-1" });

        var received = await payments.WaitFor(m => m.AccountId == accountId, 1);
        received.Should().ContainSingle().Which.RoutingKey.Should().Be("ledger.account.payment_received");
        await Task.Delay(300);
        payments.Messages.Where(m => m.AccountId == accountId).Should().ContainSingle("the opening and the charge went to other queues, not this one");
    }

    [Fact]
    public async Task Fifty_writers_at_once_and_the_feed_matches_the_event_store_one_for_one()
    {
        await using var consumer = await FeedConsumer.StartAsync(app.Exchange);
        var accounts = new List<Guid>();
        for (var i = 0; i < 5; i++)
            accounts.Add(await _desk.OpenAccount($"cust-feed-race-{i}"));
        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            _desk.PostAsJsonAsync($"/api/accounts/{accounts[i % 5]}/charges", new { amount = 1m, description = $"Race {i}", category = "usage" })));
        writes.Should().OnlyContain(w => w.StatusCode == System.Net.HttpStatusCode.Created);

        var stored = new List<string>();
        foreach (var account in accounts)
            stored.AddRange((await _auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{account}/history"))!.Select(e => e!["id"]!.ToString()));
        stored.Should().HaveCount(55);
        var published = await consumer.WaitFor(m => accounts.Contains(m.AccountId), stored.Count);
        published.Select(m => m.Id).Should().BeEquivalentTo(stored, "each committed event once, and nothing that was not committed");
    }
}
