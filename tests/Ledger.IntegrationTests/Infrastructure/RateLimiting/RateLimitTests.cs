using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Portal;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Infrastructure.RateLimiting;

/// <summary>
/// Issue 17, finding 5: one caller cannot flood the ledger. Every test acts as users (and client addresses) of its own,
/// so each starts with full windows whatever ran before it.
/// </summary>
[Collection(RateLimitedCollection.Name)]
public sealed class RateLimitTests(RateLimitedApp app)
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    private static async Task ShouldBeRateLimitedProblem(HttpResponseMessage response)
    {
        var problem = await response.ShouldBeProblem(HttpStatusCode.TooManyRequests, TooManyRequests.Rule);
        response.Headers.RetryAfter?.Delta.Should().BePositive();
        problem["retryAfterSeconds"]!.GetValue<int>().Should().Be((int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
    }

    [Fact]
    public async Task Given_150_concurrent_reads_by_one_customer_Then_those_over_the_limit_get_429_with_Retry_After_and_another_user_is_unaffected()
    {
        using var desk = app.ClientFor(TestUser.Csr(Unique("opener")));
        var (mine, theirs) = (Unique("cust-flood"), Unique("cust-calm"));
        var account = await desk.OpenAccount(mine);
        var otherAccount = await desk.OpenAccount(theirs);
        using var customer = app.ClientFor(TestUser.Customer(mine));

        var responses = await Task.WhenAll(Enumerable.Range(0, 150).Select(_ => customer.GetAsync($"/api/accounts/{account}")));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(RateLimitedApp.Reads);
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        refused.Should().HaveCount(150 - RateLimitedApp.Reads);
        foreach (var response in refused)
            await ShouldBeRateLimitedProblem(response);
        refused[0].Headers.RetryAfter!.Delta.Should().BeLessThanOrEqualTo(TimeSpan.FromMinutes(1), "one window at most");

        using var other = app.ClientFor(TestUser.Customer(theirs));
        (await other.GetAsync($"/api/accounts/{otherAccount}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await customer.GetAsync("/health/ready")).StatusCode.Should().Be(HttpStatusCode.OK, "health probes are never limited");
    }

    [Fact]
    public async Task Given_anonymous_callers_Then_each_client_address_has_its_own_limit()
    {
        // The in-memory test server reports no remote address, which the forwarded-headers middleware takes as a trusted
        // first hop; over a real connection only loopback or the configured proxies are (see DeploymentHardeningTests).
        using var flooding = app.CreateClient();
        flooding.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.10");
        using var elsewhere = app.CreateClient();
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.11");

        var responses = await Task.WhenAll(Enumerable.Range(0, RateLimitedApp.Reads + 5).Select(_ => flooding.GetAsync("/api/accounts")));

        responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized).Should().Be(RateLimitedApp.Reads);
        responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests).Should().Be(5);
        (await elsewhere.GetAsync("/api/accounts")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "another address has its own window");
    }

    [Fact]
    public async Task Given_a_desk_user_posting_more_than_the_write_limit_Then_the_excess_is_refused_appends_nothing_and_reads_still_pass()
    {
        using var opener = app.ClientFor(TestUser.Csr(Unique("opener")));
        var account = await opener.OpenAccount(Unique("cust-writes"));
        using var writer = app.ClientFor(TestUser.Csr(Unique("writer")));

        var posts = await Task.WhenAll(Enumerable.Range(0, RateLimitedApp.Writes + 5).Select(i =>
            writer.PostAsJsonAsync($"/api/accounts/{account}/charges", new { amount = 1m, description = $"charge {i}", category = "x" })));

        posts.Count(r => r.StatusCode == HttpStatusCode.Created).Should().Be(RateLimitedApp.Writes);
        foreach (var refused in posts.Where(r => r.StatusCode != HttpStatusCode.Created))
            await ShouldBeRateLimitedProblem(refused);
        (await app.Events(account)).Count(e => e.Type == "charge_posted").Should().Be(RateLimitedApp.Writes, "a refused write never reaches the ledger");
        (await opener.Balance(account)).Should().Be(RateLimitedApp.Writes);
        (await writer.GetAsync($"/api/accounts/{account}")).StatusCode.Should().Be(HttpStatusCode.OK, "reads have a budget of their own, larger than writes'");
    }

    [Fact]
    public async Task Given_profile_changes_and_downloads_Then_their_stricter_limits_apply_while_other_writes_pass()
    {
        using var desk = app.ClientFor(TestUser.Csr(Unique("opener")));
        var customerId = Unique("cust-profile");
        var account = await desk.OpenAccount(customerId);
        using var customer = app.ClientFor(TestUser.Customer(customerId));
        object Profile(int i) => new { holderName = $"Holder {i}", address = new { line1 = $"{i} St", city = "C", postalCode = "1", country = "US" } };

        for (var i = 0; i < RateLimitedApp.ProfileChanges; i++)
            (await customer.PutAsJsonAsync($"/api/accounts/{account}/profile", Profile(i))).StatusCode.Should().Be(HttpStatusCode.OK);
        var events = (await app.Events(account)).Count;
        var refused = await customer.PutAsJsonAsync($"/api/accounts/{account}/contact-preferences", new { channel = "email", email = "someone@example.com" });
        await ShouldBeRateLimitedProblem(refused);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromHours(1));
        (await app.Events(account)).Count.Should().Be(events, "nothing is appended and no mail is sent");
        (await customer.PostAsJsonAsync($"/api/accounts/{account}/payments", new { amount = 1m, method = "transfer" }))
            .StatusCode.Should().Be(HttpStatusCode.Accepted, "the profile limit is not the write limit");

        var pdf = $"/api/accounts/{account}/statements/{Guid.NewGuid()}/pdf";
        for (var i = 0; i < RateLimitedApp.Downloads; i++)
            (await customer.GetAsync(pdf)).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await ShouldBeRateLimitedProblem(await customer.GetAsync(pdf));
        (await customer.GetAsync($"/api/accounts/{account}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_a_browser_over_the_limit_Then_the_portal_shows_a_readable_page_and_sign_in_is_limited_per_address()
    {
        using var browser = PortalClient.Anonymous(app);
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.20");
        var customerId = Unique("cust-portal");
        var signIn = new Dictionary<string, string> { ["name"] = Unique("cara"), ["role"] = "customer", ["customerId"] = customerId };
        (await browser.SubmitAsync("/portal/sign-in", "/portal/sign-in?handler=Demo", signIn)).StatusCode.Should().Be(HttpStatusCode.Redirect);

        for (var i = 0; i < RateLimitedApp.Reads; i++)
            (await browser.GetAsync("/portal/my")).StatusCode.Should().Be(HttpStatusCode.OK);
        var page = await browser.GetAsync("/portal/my");
        page.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        page.Headers.RetryAfter?.Delta.Should().BePositive();
        page.Content.Headers.ContentType?.MediaType.Should().Be("text/html");
        (await page.Content.ReadAsStringAsync()).Should().Contain("<h1>Too many requests</h1>").And.Contain("Try again in");

        using var guessing = PortalClient.Anonymous(app);
        guessing.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.21");
        // Each attempt as someone else: the limit is on the address, whoever is named.
        Dictionary<string, string> Someone() => new(signIn) { ["name"] = Unique("guess") };
        for (var i = 0; i < RateLimitedApp.SignIns; i++)
            (await guessing.SubmitAsync("/portal/sign-in", "/portal/sign-in?handler=Demo", Someone())).StatusCode.Should().Be(HttpStatusCode.Redirect);
        var refused = await guessing.SubmitAsync("/portal/sign-in", "/portal/sign-in?handler=Demo", Someone());
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await refused.Content.ReadAsStringAsync()).Should().Contain("sign-in attempts from your address");
    }

    [Fact]
    public void The_stricter_limits_cover_exactly_downloads_uploads_sign_in_and_profile_changes_and_health_and_metrics_are_never_limited()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var strict = endpoints.SelectMany(e => e.Metadata.GetOrderedMetadata<RateLimited>().Select(m =>
                $"{m.OnlyMethod ?? e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Single()} /{e.RoutePattern.RawText!.TrimStart('/')} {m.Rule}"))
            .ToList();

        strict.Should().BeEquivalentTo(
            "GET /api/accounts/{accountId:guid}/statements/{statementId:guid}/pdf Downloads",
            "GET /portal/accounts/{accountId:guid}/statements/{statementId:guid}/pdf Downloads",
            "GET /api/correspondence/batches/{day} Downloads",
            "GET /api/corporates/{corporateId}/nodes/{nodeId:guid}/bills/{billId:guid}/document Downloads",
            "GET /api/service-requests/{requestId:guid}/documents/{documentId:guid} Downloads",
            "GET /api/service-requests/{requestId:guid}/proof Downloads",
            "POST /api/service-requests/{requestId:guid}/documents Uploads",
            "GET /portal/requests/{requestId:guid}/documents/{documentId:guid} Downloads",
            "GET /portal/requests/{requestId:guid}/proof Downloads",
            "GET /portal/corporate/spend.csv Downloads",
            "POST /portal/requests/{requestId:guid} Uploads",
            "PUT /api/accounts/{accountId:guid}/profile ProfileChanges",
            "PUT /api/accounts/{accountId:guid}/contact-preferences ProfileChanges",
            "POST /portal/accounts/{accountId:guid}/profile ProfileChanges",
            "POST /portal/sign-in SignIn");
        endpoints.Where(e => e.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null).Select(e => e.RoutePattern.RawText)
            .Should().BeEquivalentTo("/health/live", "/health/ready", "/metrics");
    }
}
