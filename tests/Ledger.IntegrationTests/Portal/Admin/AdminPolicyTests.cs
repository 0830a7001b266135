using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal.Admin;

/// <summary>The admin console's limits policy in Chromium: a change refused on a stale version, then saved, in the history with its diff; a simulation.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminPolicyTests(BrowserApp app)
{
    [Fact]
    public async Task Given_the_policy_changed_meanwhile_When_an_admin_saves_Then_it_is_refused_as_stale_and_sent_again_it_lands_in_the_history_with_its_diff()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        using var api = app.Api(TestUser.Admin($"ann.api-{suffix}"));
        var before = await api.GetAsync("/api/policy").Ok();
        var (version, limits) = (before["version"]!.GetValue<long>(), before["limits"]!.AsObject());
        try
        {
            var admin = await app.SignedInAsync($"ada.console-{suffix}", "admin");
            admin.Url.Should().EndWith("/portal/admin", "admins land on their console");
            await Assertions.Expect(admin.Locator("#policies")).ToContainTextAsync("Dunning policy");
            await admin.GetByRole(AriaRole.Link, new() { Name = "Limits policy", Exact = true }).First.ClickAsync();
            await Assertions.Expect(admin.Locator("#policy-version")).ToHaveTextAsync(version.ToString());
            await admin.Locator("#csr-maxSingleCredit").FillAsync("90");
            await admin.Locator("#reason").FillAsync($"Tighter after the audit {suffix}");

            // Meanwhile another admin changes the corrections limit through the API.
            var other = JsonNode.Parse(limits.ToJsonString())!.AsObject();
            other["csr"]!["maxSingleCorrection"] = 190m;
            (await api.PutAsJsonAsync("/api/policy", new { limits = other, reason = "Corrections a little lower" })).StatusCode.Should().Be(HttpStatusCode.OK);

            await admin.GetByRole(AriaRole.Button, new() { Name = $"Save as version {version + 1}" }).ClickAsync();
            await Assertions.Expect(admin.Locator("#form-error")).ToContainTextAsync("Someone changed the policy while you were editing");
            await Assertions.Expect(admin.Locator("#form-error")).ToContainTextAsync("Nothing was saved");
            var after = await api.GetAsync("/api/policy").Ok();
            after["version"]!.GetValue<long>().Should().Be(version + 1, "the stale form changed nothing");
            after["limits"]!["csr"]!["maxSingleCredit"]!.GetValue<decimal>().Should().Be(limits["csr"]!["maxSingleCredit"]!.GetValue<decimal>());
            // The form keeps what the admin typed and takes the other admin's change.
            await Assertions.Expect(admin.Locator("#csr-maxSingleCredit")).ToHaveValueAsync("90");
            await Assertions.Expect(admin.Locator("#csr-maxSingleCorrection")).ToHaveValueAsync("190.00");
            await BrowserApp.ScreenshotAsync(admin, "admin-policy-stale");

            await admin.GetByRole(AriaRole.Button, new() { Name = $"Save as version {version + 2}" }).ClickAsync();
            await Assertions.Expect(admin.Locator(".notice")).ToContainTextAsync($"Limits policy version {version + 2} is in force.");
            var saved = admin.Locator($"#history li[data-version='{version + 2}']");
            await Assertions.Expect(saved.Locator(".changes li")).ToHaveCountAsync(1);
            await Assertions.Expect(saved.Locator(".changes")).ToHaveTextAsync($"csr.maxSingleCredit: {limits["csr"]!["maxSingleCredit"]!.GetValue<decimal>():0.00} → 90.00");
            await Assertions.Expect(saved.Locator(".reason")).ToHaveTextAsync($"Tighter after the audit {suffix}");
            await Assertions.Expect(saved.Locator(".who-changed")).ToHaveTextAsync($"ada.console-{suffix}");
            await Assertions.Expect(admin.Locator($"#history li[data-version='{version + 1}'] .changes")).ToContainTextAsync($"csr.maxSingleCorrection: {limits["csr"]!["maxSingleCorrection"]!.GetValue<decimal>():0.00} → 190.00");
            var history = (await (await api.GetAsync("/api/policy/history")).Content.ReadFromJsonAsync<JsonArray>())!;
            history[0]!["version"]!.GetValue<long>().Should().Be(version + 2);
            history[0]!["changedBy"]!.GetValue<string>().Should().Be($"ada.console-{suffix}");
            await admin.Context.CloseAsync();
        }
        finally
        {
            (await api.PutAsJsonAsync("/api/policy", new { limits, reason = "Back to the limits the other tests expect" })).StatusCode.Should().Be(HttpStatusCode.OK);
        }
    }

    [Fact]
    public async Task Given_a_csrs_credits_today_When_tighter_limits_are_simulated_in_the_page_Then_their_row_and_differences_are_as_computed_by_hand()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var csrName = $"csr.console-{suffix}";
        using var csr = app.Api(TestUser.Csr(csrName));
        var (a, b) = (await csr.OpenAccount($"sim-a-{suffix}"), await csr.OpenAccount($"sim-b-{suffix}"));
        foreach (var account in new[] { a, b })
            await csr.Post(account, "charges", new { amount = 900m, description = "Supply", category = "energy" });
        var charge = await csr.Post(a, "charges", new { amount = 400m, description = "Install", category = "energy" });
        // Under the policy in force (a CSR: 100 a credit, 500 a day, 300 an account in 30 days, 200 a correction):
        await csr.Post(a, "credits", Credit(80m));                                                                      // applied
        await csr.Post(a, "credits", Credit(90m));                                                                      // applied
        (await csr.PostAsJsonAsync($"/api/accounts/{b}/credits", Credit(150m))).StatusCode.Should().Be(HttpStatusCode.Accepted); // approval
        await csr.Post(b, "credits", Credit(60m));                                                                      // applied
        await csr.Post(a, "corrections", new { entryId = charge, amount = 150m, reason = "Meter misread" });            // applied

        var admin = await app.SignedInAsync($"ada.sim-{suffix}", "admin");
        await admin.GotoAsync("/portal/admin/policy/simulation");
        await Assertions.Expect(admin.Locator("#csr-maxSingleCredit")).ToHaveValueAsync("100.00");
        await admin.Locator("#days").FillAsync("1");
        await admin.Locator("#csr-maxSingleCredit").FillAsync("85");
        await admin.Locator("#csr-dailyCreditTotal").FillAsync("200");
        await admin.Locator("#csr-maxSingleCorrection").FillAsync("100");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Simulate" }).ClickAsync();

        // By hand: 80 stays; 90 is over 85; 60 comes after 170 that day, over 200; the correction of 150 is over 100.
        var row = admin.Locator($"#by-poster tr[data-user='{csrName}']");
        await Assertions.Expect(row.Locator(".actual")).ToHaveTextAsync("4 applied · 1 for approval · 0 refused");
        await Assertions.Expect(row.Locator(".proposed")).ToHaveTextAsync("1 applied · 4 for approval · 0 refused");
        await Assertions.Expect(row.Locator(".changed")).ToHaveTextAsync("3");
        await Assertions.Expect(row.Locator(".applied-actual")).ToHaveTextAsync("380.00");
        await Assertions.Expect(row.Locator(".applied-proposed")).ToHaveTextAsync("80.00");
        var differences = admin.Locator($"#differences tr[data-user='{csrName}']");
        await Assertions.Expect(differences.Locator(".amount")).ToHaveTextAsync(["90.00", "60.00", "150.00"]);
        await Assertions.Expect(differences.Locator(".outcome")).ToHaveTextAsync(["approval", "approval", "approval"]);
        await Assertions.Expect(differences.Locator(".limit")).ToHaveTextAsync(["csr.max-single-credit", "csr.daily-credit-total", "csr.max-single-correction"]);
        await BrowserApp.ScreenshotAsync(admin, "admin-simulation");

        // Read-only; "save these limits" opens the edit form with them, nothing saved yet.
        var version = (await app.Api(TestUser.Admin()).GetAsync("/api/policy").Ok())["version"]!.GetValue<long>();
        await admin.Locator("#save-limits").ClickAsync();
        await admin.WaitForURLAsync("**/portal/admin/policy?**");
        await Assertions.Expect(admin.Locator("#csr-maxSingleCredit")).ToHaveValueAsync("85");
        await Assertions.Expect(admin.Locator("#csr-dailyCreditTotal")).ToHaveValueAsync("200");
        await Assertions.Expect(admin.Locator("#policy-version")).ToHaveTextAsync(version.ToString());
        await admin.Context.CloseAsync();
    }

    private static object Credit(decimal amount) => new { amount, reasonCode = "goodwill", reason = "Outage" };
}
