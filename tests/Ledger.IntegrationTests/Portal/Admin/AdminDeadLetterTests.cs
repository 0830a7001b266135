using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Notifications;
using Ledger.IntegrationTests.Harness;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal.Admin;

/// <summary>A notice dead-lettered while the mail server was down is seen with its error in the console and replayed from it, once.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminDeadLetterTests(BrowserApp app)
{
    [Fact]
    public async Task Given_a_notice_dead_lettered_in_an_smtp_outage_When_an_admin_replays_it_from_the_page_Then_it_is_sent_once_and_leaves_the_list()
    {
        var email = $"console-outage-{Guid.NewGuid():N}@example.org";
        using var desk = app.Api(TestUser.Csr("olga.console"));
        using var admins = app.Api(TestUser.Admin());
        var accountId = await desk.OpenAccount($"cust-dead-{Guid.NewGuid():N}"[..20]);
        (await desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email })).StatusCode.Should().Be(HttpStatusCode.OK);
        await desk.ConfirmContact(app.Smtp, email);
        (await app.Smtp.WaitFor(email, 2)).Should().HaveCount(2);

        Guid deadLetterId;
        app.Smtp.Stop();
        try
        {
            await desk.Post(accountId, "payments", new { amount = 9.99m, method = "card", cardBrand = "visa", cardLast4 = "4242" });
            var noticeId = Noticing.IdFor(accountId, 5, new NoticeRecipient(NoticeChannel.Email, "", email, null));
            var deadLetter = await Poll.Until(async () => (await admins.GetFromJsonAsync<List<JsonObject>>("/api/operations/dead-letters"))!
                .FirstOrDefault(d => d["exceptionMessage"]!.GetValue<string>().Contains(noticeId.ToString())), d => d is not null, TimeSpan.FromSeconds(30));
            deadLetterId = deadLetter!["id"]!.GetValue<Guid>();
        }
        finally
        {
            await app.Smtp.StartAsync();
        }

        var admin = await app.SignedInAsync("ada.dead-letters", "admin");
        await admin.GotoAsync("/portal/admin/dead-letters");
        var row = admin.Locator($"#dead-letters tr[data-id='{deadLetterId}']");
        await Assertions.Expect(row).ToContainTextAsync("NoticeDeliveryException");
        await BrowserApp.ScreenshotAsync(admin, "admin-dead-letters");
        await row.GetByRole(AriaRole.Button, new() { Name = "Replay" }).ClickAsync();
        await Assertions.Expect(admin.Locator(".notice")).ToContainTextAsync("back in the inbox");

        var mail = await app.Smtp.WaitFor(email, 3, TimeSpan.FromSeconds(30));
        mail.Should().HaveCount(3);
        mail[2].Subject.Should().Be("Payment received: 9.99 USD");
        (await Poll.Until(async () =>
        {
            await admin.ReloadAsync();
            return await admin.Locator($"#dead-letters tr[data-id='{deadLetterId}']").CountAsync();
        }, n => n == 0, TimeSpan.FromSeconds(20))).Should().Be(0, "a delivered replay leaves the dead letters");
        await Task.Delay(500);
        (await app.Smtp.WaitFor(email, 4, TimeSpan.Zero)).Should().HaveCount(3, "sent once");
        await admin.Context.CloseAsync();
    }
}
