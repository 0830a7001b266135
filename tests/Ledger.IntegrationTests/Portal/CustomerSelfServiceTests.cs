using System.Net.Http.Json;
using System.Security.Cryptography;
using Ledger.Api.Statements;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal;

/// <summary>A customer in a real browser: finds a charge, disputes it, downloads last month's bill, pays.</summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerSelfServiceTests(BrowserApp app)
{
    [Fact]
    public async Task Given_a_billed_account_When_the_customer_disputes_a_charge_and_downloads_the_bill_Then_the_dispute_is_open_and_the_bytes_are_the_issued_pdf()
    {
        var customerId = $"cust-web-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.web"));
        using var admin = app.Api(TestUser.Admin("ada.web"));
        var accountId = await desk.OpenAccount(customerId, holder: "Robin Portal");
        await desk.Post(accountId, "charges", new { amount = 45.00m, description = "Broadband October", category = "internet" });
        var roaming = await desk.Post(accountId, "charges", new { amount = 23.40m, description = "Mobile roaming Spain", category = "mobile" });
        await desk.Post(accountId, "charges", new { amount = 9.99m, description = "Streaming add-on", category = "tv" });
        await desk.Post(accountId, "payments", new { amount = 20m, method = "cash" });
        // Last month's bill, then this month's first charge (unbilled).
        var run = await (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).Body();
        run["issued"]!.GetValue<int>().Should().Be(1, run.ToJsonString());
        await desk.Post(accountId, "charges", new { amount = 45.00m, description = "Broadband November", category = "internet" });

        var page = await app.SignedInAsync("robin", "customer", customerId);
        page.Url.Should().EndWith($"/portal/accounts/{accountId}", "a customer with one account lands on it");
        (await page.Locator("#billed").TextContentAsync()).Should().Be("58.39 USD");
        (await page.Locator("#unbilled").TextContentAsync()).Should().Be("45.00 USD");
        (await page.Locator("#due-date").TextContentAsync()).Should().MatchRegex(@"^\d{4}-\d{2}-\d{2}$");
        await BrowserApp.ScreenshotAsync(page, "customer-overview");

        // Find the charge.
        await page.GetByLabel("Search").FillAsync("roaming");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        var rows = page.Locator("#entries tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Mobile roaming Spain");

        // Dispute it; a card number typed by mistake is refused next to the field and not shown back.
        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Dispute" }).ClickAsync();
        await page.GetByLabel("What is wrong with this charge?").FillAsync("Charged 4111 1111 1111 1111 twice");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dispute this charge" }).ClickAsync();
        await Assertions.Expect(page.Locator("#reason-error")).ToContainTextAsync("card number");
        (await page.GetByLabel("What is wrong with this charge?").InputValueAsync()).Should().BeEmpty();
        await page.GetByLabel("What is wrong with this charge?").FillAsync("I was not in Spain in October.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Dispute this charge" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("dispute");
        await Assertions.Expect(page.Locator("#entries tbody tr", new() { HasText = "Mobile roaming Spain" })).ToContainTextAsync("dispute open");
        var entry = await (await desk.GetAsync($"/api/accounts/{accountId}/entries/{roaming}")).Body();
        entry["dispute"]!["status"]!.GetValue<string>().Should().BeEquivalentTo("open");

        // Last month's statement, downloaded: exactly the bytes issued (and the API's reprint).
        await page.GetByRole(AriaRole.Link, new() { Name = "Statements" }).ClickAsync();
        await BrowserApp.ScreenshotAsync(page, "customer-statements");
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#statements tbody tr").First.GetByRole(AriaRole.Link).ClickAsync());
        var path = await download.PathAsync();
        var downloaded = await File.ReadAllBytesAsync(path);
        var statementId = (await (await desk.GetAsync($"/api/accounts/{accountId}/statements")).Content
            .ReadFromJsonAsync<List<StatementSummary>>())![0].StatementId;
        var issued = await (await desk.GetAsync($"/api/accounts/{accountId}/statements/{statementId}")).Body();
        var sha = issued["sha256"]!.GetValue<string>();
        await using (var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession())
            downloaded.Should().Equal(await StatementDocuments.LoadAsync(session, sha, default), "the portal serves the document stored when the bill was issued");
        Convert.ToHexStringLower(SHA256.HashData(downloaded)).Should().Be(sha);
        downloaded.Should().Equal(await desk.GetByteArrayAsync($"/api/accounts/{accountId}/statements/{statementId}/pdf"));
        download.SuggestedFilename.Should().EndWith(".pdf");

        // Pay with a card: typed on the processor's page, never on ours; pending until its webhook settles it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Pay" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Card brand")).ToHaveCountAsync(0);
        await page.GetByLabel("Amount").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await Assertions.Expect(page.Locator("#amount-error")).ToContainTextAsync("greater than zero");
        await page.GetByLabel("Amount").FillAsync("50.00");
        await page.GetByLabel("Method").SelectOptionAsync("card");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(app.Processor.BaseUrl + "/pay/", StringComparison.Ordinal));
        await BrowserApp.ScreenshotAsync(page, "processor-hosted-page");
        (await desk.Account(accountId))["pendingPayments"]!.AsArray().Should().ContainSingle("the payment is pending while the card is typed");
        (await desk.Balance(accountId)).Should().Be(103.39m);
        await page.GetByLabel("Card number").FillAsync("4242 4242 4242 4242");
        await page.GetByLabel("Expiry", new() { Exact = false }).FillAsync("12 / 34");
        await page.GetByLabel("CVC", new() { Exact = false }).FillAsync("123");
        await page.GetByRole(AriaRole.Button, new() { Name = "Pay", Exact = false }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"/portal/accounts/{accountId}/payments/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#payment-status")).ToHaveTextAsync("settled", new() { Timeout = 20_000 });
        await BrowserApp.ScreenshotAsync(page, "customer-payment-settled");
        (await desk.Balance(accountId)).Should().Be(53.39m);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task On_a_phone_sized_screen_the_customer_puts_a_line_item_in_a_category_and_sees_the_totals()
    {
        var customerId = $"cust-phone-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.web"));
        var accountId = await desk.OpenAccount(customerId, holder: "Sam Small");
        await desk.Post(accountId, "charges", new { amount = 30.00m, description = "Gym membership", category = "misc" });
        await desk.Post(accountId, "charges", new { amount = 12.50m, description = "Cloud storage", category = "misc" });

        var page = await app.SignedInAsync("sam", "customer", customerId, phone: true);
        var gym = page.Locator("#entries tbody tr", new() { HasText = "Gym membership" });
        await gym.GetByLabel("Category of Gym membership").FillAsync("Health");
        await gym.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("health");
        var totals = page.Locator("#category-totals tbody tr", new() { HasText = "health" });
        await Assertions.Expect(totals).ToContainTextAsync("30.00 USD");
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "nothing overflows a phone's width");
        await BrowserApp.ScreenshotAsync(page, "customer-overview-phone");

        // How notices reach them: a choice of three by its label, an address for the e-mails.
        await page.GetByRole(AriaRole.Link, new() { Name = "Address & contact" }).ClickAsync();
        await page.GetByLabel("E-mail and letter").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save contact preferences" }).ClickAsync();
        await Assertions.Expect(page.Locator("#email-error")).ToContainTextAsync("e-mail address");
        await page.GetByLabel("E-mail address").FillAsync("sam@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save contact preferences" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("We sent a confirmation link to sam@example.org");
        await Assertions.Expect(page.GetByLabel("E-mail and letter")).ToBeCheckedAsync();
        (await page.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390);
        await BrowserApp.ScreenshotAsync(page, "customer-contact-phone");
        (await desk.Account(accountId))["contact"]!["pendingEmail"]!.GetValue<string>().Should().Be("sam@example.org");
        await page.Context.CloseAsync();
    }
}
