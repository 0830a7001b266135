using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Domain.Notifications;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Notifications;

/// <summary>An SMTP outage: retries with back-off, a visible dead letter, and nothing lost once the server is back.</summary>
[Collection(NotificationCollection.Name)]
public sealed class DeadLetterTests(NotificationApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("olga.csr"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task Given_the_smtp_server_is_down_When_a_payment_is_recorded_Then_the_notice_is_retried_dead_lettered_and_replayed_once_it_is_back()
    {
        var email = $"outage-{Guid.NewGuid():N}@example.org";
        var accountId = await _desk.OpenAccount("cust-outage");
        (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email })).StatusCode.Should().Be(HttpStatusCode.OK);
        await _desk.ConfirmContact(app.Smtp, email);
        (await app.Smtp.WaitFor(email, 2)).Should().HaveCount(2);

        app.Smtp.Stop();
        Guid noticeId;
        JsonObject? deadLetter;
        try
        {
            await _desk.Post(accountId, "payments", new { amount = 9.99m, method = "card", cardBrand = "visa", cardLast4 = "4242" });
            // Opened (1), channel chosen (2), address to confirm (3), confirmed (4), payment (5): the notice's id is derived from
            // that event and the recipient.
            noticeId = Noticing.IdFor(accountId, 5, new NoticeRecipient(NoticeChannel.Email, "", email, null));
            deadLetter = await Eventually(async () => (await DeadLetters()).FirstOrDefault(d => d["exceptionMessage"]!.GetValue<string>().Contains(noticeId.ToString())));
            deadLetter.Should().NotBeNull("after its retries the notice is in the dead letters");
            deadLetter!["exceptionType"]!.GetValue<string>().Should().EndWith("NoticeDeliveryException");

            var failures = await NoticeDeliveryTests.History(_auditor, accountId, "notice_delivery_failed");
            failures.Should().HaveCount(3, "one attempt and two retries (the test configuration's cooldowns), each on the audit trail");
            failures.Select(f => JsonNode.Parse(f["data"]!.GetValue<string>())!["attempt"]!.GetValue<int>()).Should().Equal(1, 2, 3);
            (await NoticeDeliveryTests.History(_auditor, accountId, "notice_sent")).Should().HaveCount(2, "only the notices before the outage went out");
        }
        finally
        {
            await app.Smtp.StartAsync();
        }

        (await _admin.PostAsync($"/api/operations/dead-letters/{deadLetter["id"]}/replay", null)).StatusCode.Should().Be(HttpStatusCode.Accepted);
        var mail = await app.Smtp.WaitFor(email, 3, TimeSpan.FromSeconds(30));
        mail.Should().HaveCount(3);
        mail[2].Subject.Should().Be("Payment received: 9.99 USD");
        mail[2].MessageId.Should().StartWith(noticeId.ToString("N"));
        (await Eventually(async () => (await DeadLetters()).Any(d => d["id"]!.ToString() == deadLetter["id"]!.ToString()) ? null : "gone"))
            .Should().Be("gone", "a delivered replay leaves the dead letters");

        // Nothing doubles: the notice is sent once, and a stray redelivery would find the delivery record.
        await Task.Delay(500);
        (await app.Smtp.WaitFor(email, 4, TimeSpan.Zero)).Should().HaveCount(3);
        (await NoticeDeliveryTests.History(_auditor, accountId, "notice_sent")).Should().HaveCount(3);
        (await _admin.PostAsync($"/api/operations/dead-letters/{Guid.NewGuid()}/replay", null)).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    private async Task<List<JsonObject>> DeadLetters()
    {
        var response = await _admin.GetAsync("/api/operations/dead-letters");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<List<JsonObject>>())!;
    }

    private static Task<T?> Eventually<T>(Func<Task<T?>> probe, int seconds = 20) where T : class =>
        Poll.Until(probe, found => found is not null, TimeSpan.FromSeconds(seconds));
}
