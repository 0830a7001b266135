using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Notifications;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// Production sign-in: the organisation's OpenID Connect provider (authorization code with PKCE, id token signed
/// RS256), in a real browser. Who the user is, their role and whose accounts they see come from the provider's token.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class OpenIdConnectSignInTests(BrowserApp app)
{
    private static async Task SignInWithProviderAsync(IPage page, string login)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your organisation" }).ClickAsync();
        await page.GetByLabel("User").SelectOptionAsync(login); // the provider's own page
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
    }

    /// <summary>
    /// Polls the page's address (a redirect chain through the provider's self-submitting form is several navigations;
    /// waiting on navigation events once timed out on a cold start although the server had answered).
    /// </summary>
    private static Task ArrivedAsync(IPage page, string pattern) =>
        Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pattern), new() { Timeout = 30_000 });

    [Fact]
    public async Task A_customer_signed_in_by_the_provider_lands_where_they_were_going_sees_only_their_accounts_and_acts_as_the_token_says()
    {
        var customerId = $"cust-oidc-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.oidc"));
        var mine = await desk.OpenAccount(customerId, holder: "Olive Idc");
        var theirs = await desk.OpenAccount($"cust-other-{Guid.NewGuid():N}"[..20]);
        await desk.Post(mine, "charges", new { amount = 70m, description = "Fibre", category = "internet" });
        var subject = $"oidc|{Guid.NewGuid():N}";
        app.Identity.Add(new TestIdentityProvider.ProviderUser("olive", subject, "Olive Idc", ["customer"], customerId));

        // Straight to a deep link: the portal sends the stranger to sign in, then back to where they were going.
        var page = await app.NewPageAsync();
        await page.GotoAsync($"/portal/accounts/{mine}/pay");
        page.Url.Should().Contain("/portal/sign-in");
        await SignInWithProviderAsync(page, "olive");
        await ArrivedAsync(page, $"/portal/accounts/{mine}/pay$");
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync($"{subject} (customer)");

        // Another customer's account looks like one that does not exist.
        (await page.GotoAsync($"/portal/accounts/{theirs}"))!.Status.Should().Be(404);

        // What they do is recorded under the provider's subject, never a name typed anywhere.
        await page.GotoAsync($"/portal/accounts/{mine}/pay");
        await page.GetByLabel("Amount").FillAsync("30.00");
        await page.GetByLabel("Method").SelectOptionAsync("transfer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Payment of 30.00 USD is pending until your bank's payment reaches us");
        using var auditor = app.Api(TestUser.Auditor("ann.oidc"));
        var payments = new List<JsonObject>();
        for (var i = 0; i < 100 && payments.Count == 0; i++, await Task.Delay(100))
            payments = await NoticeDeliveryTests.History(auditor, mine, "payment_initiated");
        payments.Should().ContainSingle().Which["actor"]!.GetValue<string>().Should().Be(subject);

        // Signing out ends the portal session and the provider's (named by the id token), then comes back to sign-in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await ArrivedAsync(page, "/portal/sign-in$");
        app.Identity.EndedSessions.Should().Contain(subject);
        await page.GotoAsync($"/portal/accounts/{mine}");
        page.Url.Should().Contain("/portal/sign-in");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Staff_get_the_role_their_token_carries()
    {
        app.Identity.Add(new TestIdentityProvider.ProviderUser("morgan", "oidc|morgan", "Morgan Manager", ["csr", "manager"]));
        var page = await app.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await SignInWithProviderAsync(page, "morgan");
        await ArrivedAsync(page, "/portal/desk$");
        // The most privileged of the token's roles acts.
        await Assertions.Expect(page.Locator("header")).ToContainTextAsync("oidc|morgan (manager)");
        (await page.GotoAsync("/portal/approvals"))!.Status.Should().Be(200);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_corporate_admin_gets_the_tree_their_token_names()
    {
        var corporateId = $"corp-oidc-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.oidc"));
        (await desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Provider Corp" })).StatusCode.Should().Be(HttpStatusCode.Created);
        app.Identity.Add(new TestIdentityProvider.ProviderUser("cora", "oidc|cora", "Cora Corporate", ["corporate-admin"], CorporateId: corporateId));
        var page = await app.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await SignInWithProviderAsync(page, "cora");
        await ArrivedAsync(page, "/portal/corporate$");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync($"Provider Corp ({corporateId})");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("lost-corporate", "no corporate id")]
    [InlineData("nobody", "no role in the ledger")]
    [InlineData("lost-customer", "no customer id")]
    [InlineData("two-hats", "both a customer and staff")]
    [InlineData(null, "did not complete")]
    public async Task A_sign_in_that_cannot_stand_ends_on_the_sign_in_page_with_the_reason_and_no_session(string? login, string reason)
    {
        app.Identity.Add(new TestIdentityProvider.ProviderUser("nobody", "oidc|nobody", "No Role", ["payroll-admin"]));
        app.Identity.Add(new TestIdentityProvider.ProviderUser("lost-customer", "oidc|lost", "Lost Customer", ["customer"]));
        app.Identity.Add(new TestIdentityProvider.ProviderUser("lost-corporate", "oidc|lost-corporate", "Lost Corporate", ["corporate-admin"]));
        app.Identity.Add(new TestIdentityProvider.ProviderUser("two-hats", "oidc|two-hats", "Two Hats", ["customer", "auditor"], "cust-two-hats"));
        var page = await app.NewPageAsync();
        await page.GotoAsync("/portal/sign-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with your organisation" }).ClickAsync();
        if (login is null)
            await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync(); // the user says no at the provider
        else
        {
            await page.GetByLabel("User").SelectOptionAsync(login);
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        }
        await ArrivedAsync(page, @"/portal/sign-in\?failed=");
        await Assertions.Expect(page.Locator("#sign-in-error")).ToContainTextAsync(reason);
        (await page.GotoAsync("/portal/desk"))!.Url.Should().Contain("/portal/sign-in", "no session was created");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_forged_or_replayed_callback_is_a_sign_in_failure_not_a_server_error()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
        foreach (var body in new[] { "", "state=forged&code=abc", "error=server_error", "id_token=eyJhbGciOiJub25lIn0.e30.&state=x" })
        {
            var response = await http.PostAsync("/signin-oidc", new StringContent(body, System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
            response.StatusCode.Should().Be(HttpStatusCode.Redirect, body);
            response.Headers.Location!.OriginalString.Should().Be("/portal/sign-in?failed=failed", body);
        }
        foreach (var path in new[] { "/signin-oidc?code=abc&state=xyz", "/signout-callback-oidc?state=forged", "/signout-oidc?iss=x&sid=y" })
            ((int)(await http.GetAsync(path)).StatusCode).Should().BeLessThan(500, path);
    }
}
