using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using UglyToad.PdfPig;

namespace Ledger.IntegrationTests.Notifications;

/// <summary>Customers who chose paper get letters, gathered per day into one PDF for the print house.</summary>
[Collection(NotificationCollection.Name)]
public sealed class PaperLetterTests(NotificationApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("pete.csr"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task Given_a_paper_contact_Then_each_notice_is_a_letter_in_the_days_batch_with_the_bill_enclosed()
    {
        var accountId = await _desk.OpenAccount("cust-paper", holder: "Ada Paper");
        var customer = app.ClientFor(TestUser.Customer("cust-paper"));
        (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "paper" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await _desk.Post(accountId, "charges", new { amount = 30m, description = "Meter", category = "service" });
        await _desk.Post(accountId, "payments", new { amount = 12.25m, method = "cash", reference = "RCPT-9" });
        (await (await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).Body())["issued"]!.GetValue<int>().Should().Be(1);

        var queued = new List<JsonObject>();
        for (var i = 0; i < 100 && queued.Count < 3; i++, await Task.Delay(100))
            queued = await NoticeDeliveryTests.History(_auditor, accountId, "letter_queued");
        queued.Should().HaveCount(3, "contact chosen, payment received, statement issued");
        (await NoticeDeliveryTests.History(_auditor, accountId, "notice_sent")).Should().BeEmpty("paper only: no e-mail");
        var days = queued.Select(q => DateOnly.Parse(JsonNode.Parse(q["data"]!.GetValue<string>())!["batchDay"]!.GetValue<string>(),
            System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await (await _admin.GetAsync($"/api/correspondence/batches/{today:yyyy-MM-dd}")).ShouldBeProblem(HttpStatusCode.Conflict, "day-not-over");
        try
        {
            app.Clock.Offset = TimeSpan.FromDays(days.Max().DayNumber - today.DayNumber + 1);
            var (letters, pages, text) = (0, 0, "");
            byte[]? first = null;
            foreach (var day in days)
            {
                var response = await _admin.GetAsync($"/api/correspondence/batches/{day:yyyy-MM-dd}");
                response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
                letters += int.Parse(response.Headers.GetValues("X-Letter-Count").Single(), System.Globalization.CultureInfo.InvariantCulture);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                first ??= bytes;
                using var pdf = PdfDocument.Open(bytes);
                pages += pdf.NumberOfPages;
                text += string.Concat(pdf.GetPages().Select(p => p.Text));
            }
            letters.Should().Be(3);
            pages.Should().Be(4, "three one-page letters and the enclosed one-page bill");
            text.Should().Contain("Ada Paper").And.Contain("1 Main St").And.Contain("We received your payment of 12.25 USD").And.Contain("Amount due");
            (await _admin.GetByteArrayAsync($"/api/correspondence/batches/{days[0]:yyyy-MM-dd}")).Should().Equal(first, "a day's batch is the same file every time");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
