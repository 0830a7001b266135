using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using static Ledger.IntegrationTests.Webhooks.Subscriptions;

namespace Ledger.IntegrationTests.Webhooks;

/// <summary>
/// What an admin may not subscribe, in the app as configured outside Development (no receivers on this host): each
/// refusal a ProblemDetails naming the field and the rule, and nothing subscribed.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class WebhookTargetTests(LedgerApp app)
{
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    [Theory]
    [InlineData("http://localhost/hook")]
    [InlineData("http://LOCALHOST.:8080/hook")]
    [InlineData("http://api.localhost/hook")]
    [InlineData("http://127.0.0.1/hook")]
    [InlineData("http://127.1.2.3/hook")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:127.0.0.1]/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://[::]/hook")]
    [InlineData("http://224.0.0.1/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("ftp://hooks.example.com/hook")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative/hook")]
    [InlineData("hooks.example.com/hook")]
    [InlineData("https://user:secret@hooks.example.com/hook")]
    [InlineData("https://hooks.example.com/hook#fragment")]
    public async Task A_target_on_this_host_a_private_metadata_address_or_not_a_plain_http_url_is_refused(string url)
    {
        var response = await _admin.PostAsJsonAsync(Route, new { url, eventTypes = new[] { "*" } });
        var problem = await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "webhook-target-not-allowed");
        problem["field"]!.GetValue<string>().Should().Be("url");
        await NothingSubscribedTo(url);
    }

    [Fact]
    public async Task An_unknown_event_type_is_refused_naming_its_place_in_the_list()
    {
        var response = await _admin.PostAsJsonAsync(Route, new { url = "https://hooks.example.com/types", eventTypes = new[] { "charge_posted", "ChargePosted" } });
        var problem = await response.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "webhook-event-type-unknown");
        problem["field"]!.GetValue<string>().Should().Be("eventTypes[1]");
        problem["detail"]!.GetValue<string>().Should().Contain("ChargePosted");
        await NothingSubscribedTo("https://hooks.example.com/types");
    }

    [Theory]
    [InlineData("""{"url":"https://hooks.example.com/a"}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/a","eventTypes":[]}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/a","eventTypes":["charge_posted","charge_posted"]}""", "eventTypes")]
    [InlineData("""{"url":"https://hooks.example.com/a","eventTypes":[""]}""", "eventTypes[0]")]
    [InlineData("""{"eventTypes":["*"]}""", "url")]
    [InlineData("""{"url":"https://hooks.example.com/a","eventTypes":["*"],"secret":"not-a-secret"}""", "secret")]
    [InlineData("""{"url":"https://hooks.example.com/a","eventTypes":["*"],"secret":"whsec_c2hvcnQ="}""", "secret")]
    public async Task A_malformed_subscription_is_a_400_naming_the_field(string body, string field)
    {
        var response = await _admin.PostAsync(Route, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem["errors"]!.AsObject().Select(e => e.Key).Should().Contain(field, problem.ToJsonString());
        await NothingSubscribedTo("https://hooks.example.com/a");
    }

    [Fact]
    public async Task An_unknown_subscription_is_a_404_on_every_route()
    {
        var id = Guid.NewGuid();
        await (await _admin.GetAsync($"{Route}/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _admin.GetAsync($"{Route}/{id}/deliveries")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _admin.PostAsync($"{Route}/{id}/retries", null)).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _admin.PostAsJsonAsync($"{Route}/{id}/secret-rotations", new { })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await _admin.PutAsJsonAsync($"{Route}/{id}", new { url = "https://hooks.example.com/x", eventTypes = new[] { "*" }, active = true, reason = "r" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_event_types_on_offer_are_the_account_events_by_the_names_the_audit_trail_uses()
    {
        var types = await _admin.GetFromJsonAsync<JsonArray>($"{Route}/event-types");
        var names = types!.Select(t => t!["name"]!.GetValue<string>()).ToList();
        names.Should().Contain(["account_opened", "charge_posted", "payment_received", "credit_issued", "statement_issued", "approval_requested"]);
        names.Should().NotContain(["credit_allowance_used", "statement_reprinted", "webhook_subscribed"]);
        types!.Should().OnlyContain(t => t!["cloudEventType"]!.GetValue<string>() == "ledger.account." + t["name"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::ffff:127.0.0.1]")]
    public async Task At_every_connection_a_name_or_address_that_lands_on_this_host_is_refused_before_a_byte_is_sent(string host)
    {
        // The rule again where deliveries connect: a name that resolves to loopback by the time of a delivery (DNS
        // rebinding) is refused like one registered that way. A live receiver proves nothing reaches it.
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = new Uri(receiver.BaseUrl).Port;
        using var client = new HttpClient(Ledger.Api.Webhooks.WebhookTargets.Handler(new Ledger.Api.Webhooks.WebhookOptions()));
        var send = () => client.PostAsync($"http://{host}:{port}/hook", new StringContent("{}"));
        (await send.Should().ThrowAsync<HttpRequestException>()).Which.Message.Should().Contain("may not reach");
        receiver.Requests.Should().BeEmpty();

        using var allowed = new HttpClient(Ledger.Api.Webhooks.WebhookTargets.Handler(new Ledger.Api.Webhooks.WebhookOptions { AllowLoopback = true }));
        (await allowed.PostAsync($"http://{host}:{port}/hook", new StringContent("{}"))).IsSuccessStatusCode.Should().BeTrue("the same call, loopback allowed");
    }

    private async Task NothingSubscribedTo(string url) =>
        (await _admin.GetFromJsonAsync<JsonArray>(Route))!.Select(s => s!["url"]!.GetValue<string>()).Should().NotContain(url);
}
