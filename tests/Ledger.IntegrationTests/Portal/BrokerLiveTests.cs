using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal;

/// <summary>The broker's book in a real browser: a payment settling at the desk changes the risk line without a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class BrokerLiveTests(BrowserApp app)
{
    [Fact]
    public async Task Given_a_broker_watching_their_book_When_a_payment_settles_Then_the_risk_line_changes_without_a_reload()
    {
        using var desk = app.Api(TestUser.Csr("csr.live"));
        using var admin = app.Api(TestUser.Admin("ada.live"));
        var broker = $"broker-{Guid.NewGuid():N}"[..20];
        var (accountId, due) = await desk.BilledAsync(admin, $"cust-live-{Guid.NewGuid():N}"[..20], 200m);
        (await desk.PutAsJsonAsync($"/api/accounts/{accountId}/broker", new { brokerId = broker })).StatusCode.Should().Be(HttpStatusCode.OK);
        app.Clock.Offset = new DateTimeOffset(due.AddDays(20).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero) - DateTimeOffset.UtcNow;
        try
        {
            (await admin.PostAsync("/api/collections/runs", null)).StatusCode.Should().Be(HttpStatusCode.OK);

            var page = await app.SignedInAsync("bea.live", "broker", brokerId: broker);
            page.Url.Should().EndWith("/portal/book");
            var line = page.Locator($"#line-{accountId}");
            await Assertions.Expect(line.Locator(".past-due")).ToHaveTextAsync("200.00 USD");
            await Assertions.Expect(line.Locator(".step")).ToHaveTextAsync("Reminder");
            await Assertions.Expect(page.Locator("#live")).ToContainTextAsync("Live");
            await page.EvaluateAsync("() => window.__sameDocument = true");

            await desk.Post(accountId, "payments", new { amount = 200m, method = "cash", reference = "LIVE-PAID" });

            await Assertions.Expect(line.Locator(".past-due")).ToHaveTextAsync("0.00 USD", new() { Timeout = 20_000 });
            await Assertions.Expect(line.Locator(".last-payment")).ToContainTextAsync("200.00");
            (await page.EvaluateAsync<bool>("() => window.__sameDocument === true")).Should().BeTrue("the page changed in place, without a reload");
            await BrowserApp.ScreenshotAsync(page, "broker-book");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
