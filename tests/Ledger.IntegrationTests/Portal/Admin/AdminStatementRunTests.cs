using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Statements;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal.Admin;

/// <summary>A statement run started from the console runs in the background; the page follows it to the end, and it stays among the past runs.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminStatementRunTests(BrowserApp app)
{
    [Fact]
    public async Task Given_accounts_due_today_When_an_admin_starts_a_run_Then_the_page_follows_it_to_done_with_the_counts_the_bills_bear_out()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // Billing days stop at 28: from the 29th to the 31st the run is held on the 1st of next month (the service's clock is moved there;
        // the accounts' events, recorded now, lie before that cut-off).
        var now = DateTimeOffset.UtcNow;
        if (now.Day > 28)
            app.Clock.Offset = new DateTimeOffset(now.Year, now.Month, 1, 1, 0, 0, TimeSpan.Zero).AddMonths(1) - now;
        try
        {
            await Run(suffix, (now + app.Clock.Offset).Day);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    private async Task Run(string suffix, int today)
    {
        using var desk = app.Api(TestUser.Csr("setup.runs"));
        var charged = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var account = await OpenDueToday(desk, $"cust-run-{suffix}-{i}", today);
            await desk.Post(account, "charges", new { amount = 10m + i, description = "Supply", category = "energy" });
            charged.Add(account);
        }
        await Task.Delay(1100);
        var due = await RunDueStatementsHandler.DueAsync(app.Services.GetRequiredService<IDocumentStore>(), today, CancellationToken.None);

        var admin = await app.SignedInAsync($"ada.runs-{suffix}", "admin");
        await admin.GotoAsync("/portal/admin/statement-runs");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Start the run" }).ClickAsync();
        await admin.WaitForURLAsync("**/portal/admin/statement-runs?run=*");
        var runId = Guid.Parse(new Uri(admin.Url).Query.Split('=')[1]);
        await Assertions.Expect(admin.Locator(".notice")).ToContainTextAsync("started");

        // The script redraws the progress until the run is done.
        await Assertions.Expect(admin.Locator("#run-status")).ToHaveTextAsync("finished", new() { Timeout = 60_000 });
        await Assertions.Expect(admin.Locator("#run-total")).ToHaveTextAsync(due.Count.ToString());
        await Assertions.Expect(admin.Locator("#run-done")).ToHaveTextAsync(due.Count.ToString());
        await Assertions.Expect(admin.Locator("#run-errors")).ToHaveTextAsync("0");
        await BrowserApp.ScreenshotAsync(admin, "admin-statement-run");
        var issued = int.Parse(await admin.Locator("#run-issued").TextContentAsync() ?? "");
        var skipped = int.Parse(await admin.Locator("#run-skipped").TextContentAsync() ?? "");
        (issued + skipped).Should().Be(due.Count);

        // Each charged account has its bill from this run; the record the API reads says the same.
        using var admins = app.Api(TestUser.Admin());
        var run = await admins.GetAsync($"/api/statement-runs/{runId}").Ok();
        (run["status"]!.GetValue<string>(), run["issued"]!.GetValue<int>(), run["startedBy"]!.GetValue<string>())
            .Should().Be(("finished", issued, $"ada.runs-{suffix}"));
        foreach (var account in charged)
            (await Poll.Until(async () => (await desk.GetFromJsonAsync<JsonArray>($"/api/accounts/{account}/statements"))!.Count, n => n > 0,
                TimeSpan.FromSeconds(20))).Should().Be(1);
        issued.Should().BeGreaterThanOrEqualTo(charged.Count);

        // Among the past runs.
        await admin.GotoAsync("/portal/admin/statement-runs");
        await Assertions.Expect(admin.Locator($"#runs tr[data-run='{runId}']")).ToContainTextAsync("finished");
        await admin.Context.CloseAsync();
    }

    private static async Task<Guid> OpenDueToday(HttpClient desk, string customerId, int billingDay)
    {
        var response = await desk.PostAsJsonAsync("/api/accounts", new
        {
            customerId, holderName = "Run Holder", currency = "USD", billingDay,
            address = new { line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
        });
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Body())["id"]!.GetValue<Guid>();
    }
}
