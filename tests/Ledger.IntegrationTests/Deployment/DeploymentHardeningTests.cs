using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Portal;

namespace Ledger.IntegrationTests.Deployment;

/// <summary>Issue 17, finding 11: outside Development the ledger shows its insides to staff only and behaves behind a TLS proxy.</summary>
[Collection(ProductionCollection.Name)]
public sealed class DeploymentHardeningTests(ProductionApp app)
{
    private static readonly string[] StaffRoles = ["csr", "manager", "auditor", "admin"];

    private string Staff(string role)
    {
        var login = $"{role}-{Guid.NewGuid():N}"[..20];
        app.Identity.Add(new TestIdentityProvider.ProviderUser(login, $"oidc|{login}", login, [role]));
        return login;
    }

    private static string? PortalCookie(ProxiedBrowser browser) =>
        browser.SetCookies.LastOrDefault(c => c.StartsWith("ledger.portal=", StringComparison.Ordinal));

    [Fact]
    public async Task Given_a_TLS_proxy_forwarding_https_Then_the_portal_cookie_is_Secure_HSTS_is_sent_and_staff_signed_in_there_see_swagger()
    {
        using var browser = new ProxiedBrowser(app, https: true);
        var signIn = await browser.SignInWithProviderAsync(Staff("auditor"));

        signIn.StatusCode.Should().Be(HttpStatusCode.Redirect, await signIn.Content.ReadAsStringAsync());
        PortalCookie(browser).Should().NotBeNull().And.Contain("secure", Exactly.Once()).And.Contain("samesite=strict").And.Contain("httponly");
        var page = await browser.SendAsync(HttpMethod.Get, "/portal/desk");
        page.StatusCode.Should().Be(HttpStatusCode.OK, "signed in");
        page.Headers.TryGetValues("Strict-Transport-Security", out var hsts).Should().BeTrue("HSTS is sent on HTTPS outside Development");
        hsts!.Single().Should().StartWith("max-age=");

        // The portal's cookie carries staff identity to the API description (the UI's own fetch of its JSON included).
        (await browser.SendAsync(HttpMethod.Get, "/swagger/v1/swagger.json")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await browser.SendAsync(HttpMethod.Get, "/health/ready")).Content.ReadAsStringAsync()).Should().Contain("\"checks\"");
    }

    [Fact]
    public async Task Given_plain_http_Then_the_cookie_is_not_marked_Secure_and_no_HSTS_is_sent()
    {
        using var browser = new ProxiedBrowser(app, https: false);
        (await browser.SignInWithProviderAsync(Staff("csr"))).StatusCode.Should().Be(HttpStatusCode.Redirect);

        PortalCookie(browser).Should().NotBeNull().And.NotContain("secure", "the scheme comes from the proxy's X-Forwarded-Proto, not a guess");
        (await browser.SendAsync(HttpMethod.Get, "/portal")).Headers.Contains("Strict-Transport-Security").Should().BeFalse();
    }

    [Fact]
    public async Task Given_Production_Then_the_API_description_is_for_staff_only()
    {
        using var anonymous = app.Direct();
        await (await anonymous.GetAsync("/swagger/v1/swagger.json")).ShouldBeProblem(HttpStatusCode.Unauthorized, "not-signed-in");
        var page = new HttpRequestMessage(HttpMethod.Get, "/swagger/index.html");
        page.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var toSignIn = await anonymous.SendAsync(page);
        toSignIn.StatusCode.Should().Be(HttpStatusCode.Redirect, "a browser is sent to sign in, like any portal page");
        toSignIn.Headers.Location!.OriginalString.Should().Contain("/portal/sign-in");

        using var customer = app.Direct(TestUser.Customer("cust-prod"));
        await (await customer.GetAsync("/swagger/v1/swagger.json")).ShouldBeProblem(HttpStatusCode.Forbidden, "staff-only");
        (await customer.GetAsync("/swagger/index.html")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        foreach (var role in StaffRoles)
        {
            using var staff = app.Direct(new TestUser($"{role}.prod", [role]));
            var doc = await staff.GetAsync("/swagger/v1/swagger.json");
            doc.StatusCode.Should().Be(HttpStatusCode.OK, role);
            (await doc.Content.ReadAsStringAsync()).Should().Contain("/api/accounts/{accountId}/charges");
            (await staff.GetAsync("/swagger/index.html")).StatusCode.Should().Be(HttpStatusCode.OK, role);
        }
    }

    [Fact]
    public async Task Given_Production_Then_readiness_details_are_for_staff_only()
    {
        using var anonymous = app.Direct();
        var ready = await anonymous.GetAsync("/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonNode.Parse(await ready.Content.ReadAsStringAsync())!.AsObject().Select(p => p.Key).Should().Equal(["status"], "the status, nothing about the inside");
        using var customer = app.Direct(TestUser.Customer("cust-prod"));
        (await (await customer.GetAsync("/health/ready")).Content.ReadAsStringAsync()).Should().NotContain("checks");

        using var staff = app.Direct(TestUser.Admin("ada.prod"));
        var details = JsonNode.Parse(await staff.GetStringAsync("/health/ready"))!;
        details["checks"]!["postgresql"]!["status"]!.GetValue<string>().Should().Be("Healthy");
        details["checks"]!["schema"]!["description"]!.GetValue<string>().Should().Be("event store schema applied");
    }

    [Fact]
    public async Task Given_Production_without_Portal_DemoSignIn_Then_demo_sign_in_is_neither_offered_nor_accepted()
    {
        using var browser = new ProxiedBrowser(app, https: true);
        var page = await (await browser.SendAsync(HttpMethod.Get, "/portal/sign-in")).Content.ReadAsStringAsync();
        page.Should().NotContain("Demo sign-in").And.Contain("Sign in with your organisation");

        var attempt = await browser.SendAsync(HttpMethod.Post, "/portal/sign-in?handler=Demo",
            [new("__RequestVerificationToken", ProxiedBrowser.AntiforgeryToken(page)), new("name", "mallory"), new("role", "admin")]);

        attempt.StatusCode.Should().Be(HttpStatusCode.NotFound);
        PortalCookie(browser).Should().BeNull("nobody is signed in");
        (await browser.SendAsync(HttpMethod.Get, "/portal/approvals")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }
}
