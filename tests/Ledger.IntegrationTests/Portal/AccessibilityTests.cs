using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using RequestCalls = Ledger.IntegrationTests.ServiceRequests.Requests;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// Every main page of the portal, rendered by Chromium, checked the way a screen-reader or keyboard user meets it:
/// a language, a title and one heading to start from, a skip link and a main landmark, a name for every control
/// (as the browser's accessibility tree computes it), ids that are unique (labels and error links depend on them),
/// table headers, and error messages that are announced.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class AccessibilityTests(BrowserApp app)
{
    // What the page's own markup says: a list of problems, empty when there are none.
    private const string MarkupProblems = """
        () => {
          const problems = [];
          const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
          if (!document.documentElement.lang) problems.push('html has no lang');
          if (!document.title.trim()) problems.push('no title');
          const h1 = [...document.querySelectorAll('h1')].filter(visible);
          if (h1.length !== 1) problems.push(`${h1.length} h1 headings`);
          if (document.querySelectorAll('main').length !== 1) problems.push('not exactly one main landmark');
          const skip = document.querySelector('a.skip');
          if (!skip || !document.querySelector(skip.getAttribute('href'))) problems.push('no working skip link');
          const ids = {};
          document.querySelectorAll('[id]').forEach(e => ids[e.id] = (ids[e.id] || 0) + 1);
          Object.entries(ids).filter(([, n]) => n > 1).forEach(([id, n]) => problems.push(`id '${id}' used ${n} times`));
          document.querySelectorAll('label[for]').forEach(l => { if (!document.getElementById(l.htmlFor)) problems.push(`label for missing '${l.htmlFor}'`); });
          document.querySelectorAll('img').forEach(i => { if (!i.hasAttribute('alt')) problems.push(`img without alt: ${i.src}`); });
          document.querySelectorAll('table').forEach((t, n) => { if (!t.querySelector('th')) problems.push(`table ${n} has no header cells`); });
          document.querySelectorAll('.field-error, .form-error').forEach(e => { if (e.getAttribute('role') !== 'alert') problems.push(`error not announced: ${e.textContent}`); });
          document.querySelectorAll('[aria-invalid="true"]').forEach(e => {
            const described = (e.getAttribute('aria-describedby') || '').split(' ').some(id => id && document.getElementById(id));
            if (!described) problems.push(`invalid field '${e.name}' not linked to its error`);
          });
          document.querySelectorAll('[tabindex]').forEach(e => { if (e.tabIndex > 0) problems.push(`positive tabindex on ${e.tagName}`); });
          return problems;
        }
        """;

    internal static async Task AssertAccessibleAsync(IPage page, string what)
    {
        (await page.EvaluateAsync<string[]>(MarkupProblems)).Should().BeEmpty(what);
        // Every control a user can reach has a name in the accessibility tree (label, legend, aria-label or its text).
        var controls = page.Locator("input:not([type=hidden]):visible, select:visible, textarea:visible, button:visible, a:visible");
        var count = await controls.CountAsync();
        count.Should().BePositive(what);
        for (var i = 0; i < count; i++)
            await Assertions.Expect(controls.Nth(i)).ToHaveAccessibleNameAsync(AnyText(), new() { Timeout = 2_000 });
    }

    [GeneratedRegex(@"\S")]
    private static partial Regex AnyText();

    [Fact]
    public async Task Every_main_page_for_each_role_has_a_heading_a_landmark_named_controls_and_unique_ids_and_fits_a_phone()
    {
        var customerId = $"cust-a11y-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.a11y"));
        using var admin = app.Api(TestUser.Admin("ada.a11y"));
        var accountId = await desk.OpenAccount(customerId, holder: "Alex Access");
        var charge = await desk.Post(accountId, "charges", new { amount = 64.00m, description = "Water October", category = "water" });
        await desk.Post(accountId, "charges", new { amount = 12.00m, description = "Sewer October", category = "water" });
        // A check waiting for the bank: the pending payments table for everyone, the bank statement forms for the manager.
        await desk.PayPending(accountId, new { amount = 10.00m, method = "check", reference = "CHK-A11Y" });
        (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).EnsureSuccessStatusCode();
        (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 400m, reasonCode = "goodwill", reason = "Over the limit: queued for a manager" }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.Accepted);

        // Service requests: a draft, and one submitted (with its document) for the desk.
        using var owner = app.Api(TestUser.Customer(customerId));
        var draft = (await owner.OpenRequest(accountId, "billing-query", new() { ["question"] = "Why twice?" })).Id();
        var submitted = (await owner.OpenRequest(accountId, "address-change", RequestCalls.NewAddress)).Id();
        (await owner.Upload(submitted, "proof.pdf", RequestCalls.Pdf(), "proofOfAddress")).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/service-requests/{submitted}/submission", new { })).EnsureSuccessStatusCode();

        var anonymous = await app.NewPageAsync();
        await anonymous.GotoAsync("/portal/sign-in");
        await AssertAccessibleAsync(anonymous, "sign-in");
        await anonymous.Context.CloseAsync();

        // Customers on a phone: every page also fits its width (wide tables scroll inside their own box).
        var customer = await app.SignedInAsync("alex", "customer", customerId, phone: true);
        foreach (var path in new[] { "", "/statements", "/pay", "/refund", "/profile", $"/entries/{charge}/dispute" })
        {
            await customer.GotoAsync($"/portal/accounts/{accountId}{path}");
            await AssertAccessibleAsync(customer, "customer " + path);
            (await customer.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "customer " + path);
        }
        foreach (var path in new[] { "/portal/requests", $"/portal/accounts/{accountId}/requests/new", "/portal/request-types/address-change",
                     $"/portal/requests/{draft}", $"/portal/requests/{submitted}" })
        {
            await customer.GotoAsync(path);
            await AssertAccessibleAsync(customer, "customer " + path);
            (await customer.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "customer " + path);
        }
        await customer.GotoAsync($"/portal/requests/{draft}");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(customer.Locator("[id='fields.entryId-error']")).ToBeVisibleAsync();
        await AssertAccessibleAsync(customer, "customer request form, refused");
        // A refused form: errors are announced and tied to their fields.
        await customer.GotoAsync($"/portal/accounts/{accountId}/pay");
        await customer.GetByLabel("Amount").FillAsync("0");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await Assertions.Expect(customer.Locator("#amount-error")).ToBeVisibleAsync();
        await AssertAccessibleAsync(customer, "customer pay, refused");
        await customer.GotoAsync($"/portal/accounts/{Guid.NewGuid()}");
        await AssertAccessibleAsync(customer, "not found");
        await customer.Context.CloseAsync();

        var manager = await app.SignedInAsync("mike.a11y", "manager");
        foreach (var path in new[] { "/portal/desk", "/portal/desk?q=Alex", $"/portal/accounts/{accountId}", $"/portal/accounts/{accountId}/post",
                     $"/portal/accounts/{accountId}/history", "/portal/approvals", "/portal/bank-lines", "/portal/desk/requests", $"/portal/desk/requests/{submitted}" })
        {
            await manager.GotoAsync(path);
            await AssertAccessibleAsync(manager, "manager " + path);
        }
        await manager.Context.CloseAsync();

        // The admin console: its home, the policy, a simulation's result, statement runs and dead letters.
        var adminPage = await app.SignedInAsync("ada.a11y", "admin");
        foreach (var path in new[] { "/portal/admin", "/portal/admin/policy", "/portal/admin/policy/simulation", "/portal/admin/statement-runs",
                     "/portal/admin/dead-letters" })
        {
            await adminPage.GotoAsync(path);
            await AssertAccessibleAsync(adminPage, "admin " + path);
        }
        await adminPage.GotoAsync("/portal/admin/policy/simulation");
        await adminPage.Locator("#days").FillAsync("7");
        await adminPage.Locator("#days").PressAsync("Enter");
        await adminPage.WaitForURLAsync("**/portal/admin/policy/simulation?*");
        await AssertAccessibleAsync(adminPage, "admin simulation result");
        await adminPage.Context.CloseAsync();
    }
}
