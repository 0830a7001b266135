using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Ledger.IntegrationTests.Webhooks;
using static Ledger.IntegrationTests.Webhooks.Subscriptions;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>A tree's budget alerts and flagged charges reach its contact by e-mail (through a real SMTP server), once each.</summary>
[Collection(NotificationCollection.Name)]
public sealed class CorporateAlertMailTests(NotificationApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.corporate-alerts"));

    [Fact]
    public async Task Budget_alerts_and_flagged_charges_are_mailed_to_the_trees_contact_once_each()
    {
        var corporateId = $"alert-{Guid.NewGuid():N}"[..20];
        var email = $"{corporateId}@example.org";
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Alert Co" }).Ok(HttpStatusCode.Created);
        var root = opened["rootId"]!.GetValue<Guid>();
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        await (await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/contact", new { name = "Fleet manager", email = "not an address" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "email-invalid");
        var tree = await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/contact", new { name = "Fleet manager", email }).Ok();
        tree["contact"]!["email"]!.GetValue<string>().Should().Be(email);
        var member = await _desk.OpenAccount($"{corporateId}-m", holder: "Mia Member");
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = root }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/templates/office", new { name = "Office", allowedCategories = new[] { "voice" } }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}/template", new { template = "office" }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{root}", new { amount = 50m, currency = "USD" }).Ok();

        await _desk.Post(member, "charges", new { amount = 42m, description = "Roaming week", category = "roaming" });
        var mail = await app.Smtp.WaitFor(email, 2);
        var budget = mail.Single(m => (m.Subject ?? "").StartsWith("Budget alert", StringComparison.Ordinal));
        budget.Subject.Should().Be($"Budget alert: Alert Co reached 80 % of its {DateTimeOffset.UtcNow:yyyy-MM} budget");
        budget.TextBody!.Should().Contain("42.00 USD of its 50.00 USD budget");
        var flagged = mail.Single(m => (m.Subject ?? "").StartsWith("Charge outside", StringComparison.Ordinal));
        flagged.TextBody!.Should().Contain("Roaming week").And.Contain("'roaming'").And.Contain("'office'");
        flagged.To.Mailboxes.Single().Name.Should().Be("Fleet manager");

        await Task.Delay(TimeSpan.FromSeconds(2));
        (await app.Smtp.WaitFor(email, 2)).Should().HaveCount(2, "each alert is mailed once");
    }
}

/// <summary>The same alerts on the webhook feed: CloudEvents of type ledger.corporate.*, naming the tree.</summary>
[Collection(WebhookCollection.Name)]
public sealed class CorporateAlertWebhookTests(WebhookApp app) : IAsyncLifetime
{
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.corporate-webhooks"));
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await WebhookReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var subscription in (await _admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>(Route))!.Select(s => s!.AsObject())
                     .Where(s => s["url"]!.GetValue<string>().StartsWith(_receiver.BaseUrl, StringComparison.Ordinal) && s["active"]!.GetValue<bool>()))
            (await _admin.Change(subscription["id"]!.GetValue<Guid>(), subscription["version"]!.GetValue<long>(), subscription["url"]!.GetValue<string>(),
                active: false, reason: "test over")).EnsureSuccessStatusCode();
        await _receiver.DisposeAsync();
    }

    [Fact]
    public async Task A_budget_alert_is_delivered_to_subscribers_of_corporate_budget_alerted()
    {
        var subscription = await _admin.Subscribe(_receiver.Url(), "corporate_budget_alerted");
        var corporateId = $"hook-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Hook Co" }).Ok(HttpStatusCode.Created);
        var (treeId, root) = (opened["treeId"]!.GetValue<Guid>(), opened["rootId"]!.GetValue<Guid>());
        var member = await _desk.OpenAccount($"{corporateId}-m");
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = root }).Ok();
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{root}", new { amount = 10m, currency = "USD", thresholds = new[] { 100 } }).Ok();
        await _desk.Post(member, "charges", new { amount = 12m, description = "Calls", category = "voice" });

        var alert = (await _receiver.WaitForAccepted(r => r.Type.StartsWith("ledger.corporate.", StringComparison.Ordinal), 1)).Single();
        alert.Type.Should().Be("ledger.corporate.corporate_budget_alerted");
        alert.Envelope["treeid"]!.GetValue<string>().Should().Be(treeId.ToString());
        alert.Envelope["data"]!["threshold"]!.GetValue<int>().Should().Be(100);
        WebhookReceiver.SignedWith(alert, subscription.Secret).Should().BeTrue();
        _receiver.Requests.Should().NotContain(r => r.Type.StartsWith("ledger.account.", StringComparison.Ordinal), "the subscription names only the alerts");
    }
}
