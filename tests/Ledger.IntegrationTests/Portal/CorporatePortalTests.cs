using Ledger.IntegrationTests.Corporate;
using Ledger.IntegrationTests.Harness;
using Microsoft.Playwright;
using static Ledger.IntegrationTests.Corporate.SpendTree;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// A corporate admin in a real browser: signs in, finds their tree and this month's budgets, reads the spend report's chart
/// (drawn on the server: a bar per member or node and month, the budgets marked) and table, and downloads the CSV.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CorporatePortalTests(BrowserApp app)
{
    [Fact]
    public async Task A_corporate_admin_sees_their_tree_and_budgets_reads_the_spend_chart_and_table_and_downloads_the_csv()
    {
        using var desk = app.Api(TestUser.Csr("csr.corporate-portal"));
        var tree = await BuildAsync(desk, app.Api, app.Clock);

        var page = await app.SignedInAsync("cora.corporate", "corporate-admin", corporateId: tree.CorporateId);
        page.Url.Should().EndWith("/portal/corporate");
        await Assertions.Expect(page.Locator("#tree > li > .node-name")).ToHaveTextAsync("Globex");
        await Assertions.Expect(page.Locator($"#tree li[data-node='{tree.Sales}'] li[data-node='{tree.North}'] li.member")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"li[data-node='{tree.North}'] li.member").First).ToContainTextAsync("Anna Able");
        await Assertions.Expect(page.Locator($"li[data-node='{tree.Ops}'] li.member")).ToContainTextAsync(DoraHolder);
        await Assertions.Expect(page.Locator("#tree a")).ToHaveCountAsync(0, new() { Timeout = 1_000 });
        await Assertions.Expect(page.Locator("#budgets tbody tr")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator($"#budgets tr[data-target='{tree.Carl}']")).ToContainTextAsync("20.00 EUR");
        await AccessibilityTests.AssertAccessibleAsync(page, "corporate home");
        await BrowserApp.ScreenshotAsync(page, "corporate-home");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Spend report" }).ClickAsync();
        await page.Locator("#from").FillAsync(March);
        await page.Locator("#to").FillAsync(April);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains($"from={March}", StringComparison.Ordinal));

        // Dollars and euros on charts of their own: Anna, Ben and Dora in dollars, Carl in euros, two months each.
        var dollars = page.GetByRole(AriaRole.Img, new() { Name = "Spend per member and month, USD" });
        await Assertions.Expect(dollars).ToBeVisibleAsync();
        await Assertions.Expect(dollars.Locator("rect.bar")).ToHaveCountAsync(6);
        await Assertions.Expect(dollars.Locator("line.budget")).ToHaveCountAsync(2, new() { Timeout = 1_000 }); // Anna's, each month
        (await dollars.Locator("text.figure").AllTextContentsAsync()).Should().BeEquivalentTo(["42.00", "25.00", "12.50", "20.00", "12.00", "0.00"]);
        var euros = page.GetByRole(AriaRole.Img, new() { Name = "Spend per member and month, EUR" });
        await Assertions.Expect(euros.Locator("rect.bar")).ToHaveCountAsync(2);
        (await euros.Locator("text.figure").AllTextContentsAsync()).Should().Equal("30.00", "15.00");
        await Assertions.Expect(euros.Locator("line.budget")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator($"#members tr[data-account='{tree.Anna}'][data-month='{March}'] td.spent")).ToHaveTextAsync("42.00 USD");
        await Assertions.Expect(page.Locator($"#members tr[data-account='{tree.Carl}'][data-month='{March}']")).ToContainTextAsync("150");
        await Assertions.Expect(page.Locator($"#nodes tr[data-node='{tree.Sales}'][data-month='{April}'][data-currency='USD'] td.spent"))
            .ToHaveTextAsync("32.00 USD");
        await AccessibilityTests.AssertAccessibleAsync(page, "spend report");
        await BrowserApp.ScreenshotAsync(page, "corporate-spend");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());
        download.SuggestedFilename.Should().Be($"corporate-{tree.CorporateId}-spend-{March}-{April}.csv");
        var rows = Csv.Parse(await File.ReadAllTextAsync((await download.PathAsync())!));
        rows.Single(r => r[0] == "member" && r[1] == March && r[2] == tree.Anna.ToString())[8].Should().Be("42");

        // Bars per node: every node with members in that currency (or its budget), rolled up.
        await page.GetByLabel("Bars per").SelectOptionAsync("node");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        var nodes = page.GetByRole(AriaRole.Img, new() { Name = "Spend per node and month, USD" });
        await Assertions.Expect(nodes.Locator("rect.bar")).ToHaveCountAsync(8); // Globex, Ops, Sales, North × 2 months
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Spend per node and month, EUR" }).Locator("rect.bar")).ToHaveCountAsync(4);

        await page.GotoAsync($"/portal/corporate/spend?from=2031-3&to={April}");
        await Assertions.Expect(page.Locator("#from-error")).ToContainTextAsync("yyyy-MM");
        await page.GotoAsync($"/portal/corporate/spend?from=2029-01&to={April}");
        await Assertions.Expect(page.Locator("#from-error")).ToContainTextAsync("24 months");
        await AccessibilityTests.AssertAccessibleAsync(page, "spend report, refused");

        // The admin of Sales alone, on a phone: Sales at the top, Ops and Dora nowhere; the pages fit the width.
        var division = await app.SignedInAsync("sal.corporate", "corporate-admin", corporateId: tree.CorporateId, corporateNode: tree.Sales, phone: true);
        await Assertions.Expect(division.Locator("#tree > li > .node-name")).ToHaveTextAsync("Sales");
        await Assertions.Expect(division.Locator($"li[data-node='{tree.Ops}']")).ToHaveCountAsync(0);
        (await division.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390);
        await division.GotoAsync($"/portal/corporate/spend?from={March}&to={April}");
        await Assertions.Expect(division.GetByRole(AriaRole.Img, new() { Name = "Spend per member and month, USD" }).Locator("rect.bar")).ToHaveCountAsync(4);
        (await division.EvaluateAsync<int>("document.documentElement.scrollWidth")).Should().BeLessThanOrEqualTo(390, "wide charts and tables scroll in their own box");
        await BrowserApp.ScreenshotAsync(division, "corporate-spend-phone");
    }
}
