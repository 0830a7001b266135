using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using MimeKit;

namespace Ledger.IntegrationTests.Notifications;

/// <summary>Every kind of notice, through the real handlers, the outbox and MailKit, to a real SMTP server.</summary>
[Collection(NotificationCollection.Name)]
public sealed class NoticeDeliveryTests(NotificationApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("nora.csr"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("max.manager"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private static string Mailbox(string who) => $"{who}-{Guid.NewGuid():N}@example.org";

    private async Task<Guid> OpenWithEmail(string customerId, string email)
    {
        var accountId = await _desk.OpenAccount(customerId, holder: "Grace Hopper");
        var customer = app.ClientFor(TestUser.Customer(customerId));
        (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        await customer.ConfirmContact(app.Smtp, email);
        return accountId;
    }

    private static string Text(MimeMessage m) => m.TextBody ?? "";

    [Fact]
    public async Task Given_an_email_contact_When_each_kind_of_event_is_recorded_Then_each_notice_arrives_once_with_its_content()
    {
        var email = Mailbox("grace");
        var accountId = await OpenWithEmail("cust-notify-1", email);
        (await app.Smtp.WaitFor(email, 2)).Should().ContainSingle(m => m.Subject == "How we contact you changed");

        var charge = await _desk.Post(accountId, "charges", new { amount = 80m, description = "Line rental", category = "service" });
        await _desk.Post(accountId, "payments", new { amount = 42.50m, method = "cash", reference = "INV-77" });
        await _desk.Post(accountId, "credits", new { amount = 15m, reasonCode = "goodwill", reason = "Outage on the 3rd" });
        // The customer's own requests: they hear how each was decided. One the desk raised is decided without a word to them.
        using var customer = app.ClientFor(TestUser.Customer("cust-notify-1"));
        var overLimit = new { amount = 150m, reasonCode = "goodwill", reason = "Long outage" };
        var approved = (await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/credits", overLimit)).Body())["approvalId"]!.GetValue<Guid>();
        (await _manager.PostAsJsonAsync($"/api/approvals/{approved}/approve", new { note = "fair" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var rejected = (await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/credits", overLimit)).Body())["approvalId"]!.GetValue<Guid>();
        (await _manager.PostAsJsonAsync($"/api/approvals/{rejected}/reject", new { reason = "Already compensated" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var internalRequest = (await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/credits", overLimit)).Body())["approvalId"]!.GetValue<Guid>();
        (await _manager.PostAsJsonAsync($"/api/approvals/{internalRequest}/reject", new { reason = "Desk-only: too generous" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var dispute = await _desk.Post(accountId, "disputes", new { entryId = charge, reason = "Never ordered" });
        (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/disputes/{dispute}/resolution", new { outcome = "upheld", note = "Refunded" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var run = await (await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).Body();
        run["issued"]!.GetValue<int>().Should().Be(1, run.ToJsonString());

        var mail = await app.Smtp.WaitFor(email, 9);
        mail.Select(m => m.MessageId).Should().OnlyHaveUniqueItems();
        mail.Select(m => m.Subject).Should().BeEquivalentTo(
            "Confirm your e-mail address for account " + await Number(accountId), "How we contact you changed", "Payment received: 42.50 USD", "Credit applied: 15.00 USD", "Your request was approved",
            "Credit applied: 150.00 USD", "Your request was not approved", "Your dispute was resolved", "Your statement for account " + await Number(accountId));
        // Nine kinds above plus nothing else: the charge and the dispute itself tell nobody.
        mail.Should().HaveCount(9);
        Text(mail.Single(m => (m.Subject ?? "").StartsWith("Payment", StringComparison.Ordinal))).Should().Contain("reference INV-77").And.Contain("Dear Grace Hopper");
        Text(mail.Single(m => m.Subject == "Your request was not approved")).Should().Contain("Already compensated");
        mail.Should().NotContain(m => Text(m).Contains("Desk-only"));
        Text(mail.Single(m => m.Subject == "Your dispute was resolved")).Should().Contain($"Dispute {dispute}").And.Contain("Upheld: Refunded");
        mail.Single(m => m.Subject == "Your request was approved").HtmlBody.Should().Contain("<p>Account ");

        var statementMail = mail.Single(m => (m.Subject ?? "").StartsWith("Your statement", StringComparison.Ordinal));
        var attachment = statementMail.Attachments.OfType<MimePart>().Should().ContainSingle().Subject;
        attachment.ContentType.MimeType.Should().Be("application/pdf");
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes);
        var statementId = (await (await _desk.GetAsync($"/api/accounts/{accountId}/statements")).Content.ReadFromJsonAsync<List<JsonObject>>())![0]["statementId"]!;
        bytes.ToArray().Should().Equal(await _desk.GetByteArrayAsync($"/api/accounts/{accountId}/statements/{statementId}/pdf"),
            "the attachment is the bill exactly as issued");

        var sent = await History(accountId, "notice_sent");
        sent.Should().HaveCount(9, "every notice sent is on the account's audit trail");
        sent.Should().OnlyContain(e => e["actor"]!.GetValue<string>() == "system:notifications");
        var paymentMail = mail.Single(m => (m.Subject ?? "").StartsWith("Payment", StringComparison.Ordinal));
        sent.Should().ContainSingle(e => e["data"]!.GetValue<string>().Contains(paymentMail.MessageId!, StringComparison.Ordinal))
            .Which["data"]!.GetValue<string>().Should().Contain(email, "the trail says to whom");
        (await _desk.Version(accountId)).Should().Be(await AccountEventCount(accountId), "delivery records never enter the account's own stream");
    }

    [Fact]
    public async Task Given_an_email_contact_When_the_email_changes_Then_notices_stay_with_the_old_until_the_new_is_confirmed_and_both_are_told()
    {
        var (old, @new) = (Mailbox("old"), Mailbox("new"));
        var accountId = await OpenWithEmail("cust-notify-2", old);
        await app.Smtp.WaitFor(old, 2);

        (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email = @new }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        var pending = (await _desk.Account(accountId))["contact"]!;
        (pending["email"]!.GetValue<string>(), pending["emailVerified"]!.GetValue<bool>(), pending["pendingEmail"]!.GetValue<string>())
            .Should().Be((old, true, @new));
        // Found by review: the new address got notices at once. Until its owner confirms it, they go to the confirmed one.
        await _desk.Post(accountId, "payments", new { amount = 5m, method = "cash", reference = "BEFORE-CONFIRM" });
        (await app.Smtp.WaitFor(old, 3)).Select(m => m.Subject).Should().Contain("Payment received: 5.00 USD");
        await _desk.ConfirmContact(app.Smtp, @new);
        (await _desk.Account(accountId))["contact"]!["email"]!.GetValue<string>().Should().Be(@new);
        (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/profile", new
        {
            holderName = "Grace B. Hopper", address = new { line1 = "2 Navy Way", city = "Arlington", postalCode = "22202", country = "US" },
        })).StatusCode.Should().Be(HttpStatusCode.OK);

        var toOld = await app.Smtp.WaitFor(old, 4);
        var toNew = await app.Smtp.WaitFor(@new, 3);
        toOld.Should().HaveCount(4);
        Text(toOld[3]).Should().Contain("before the change").And.Contain(@new);
        toNew.Select(m => m.Subject).Skip(1).Should().Equal("How we contact you changed", "The address on your account changed");
        toNew.Should().NotContain(m => (m.Subject ?? "").StartsWith("Payment", StringComparison.Ordinal));
        Text(toNew[2]).Should().Contain("2 Navy Way").And.Contain("22202 Arlington");
    }

    [Fact]
    public async Task A_confirmation_link_works_once_and_a_forged_one_not_at_all()
    {
        var email = Mailbox("once");
        var accountId = await _desk.OpenAccount("cust-notify-once");
        (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email })).StatusCode.Should().Be(HttpStatusCode.OK);
        var mail = (await app.Smtp.WaitFor(email, 1)).Single();
        mail.HtmlBody.Should().Contain("<a href=");
        var token = System.Text.RegularExpressions.Regex.Match(Text(mail), "token=([A-Za-z0-9_-]+)").Groups[1].Value;
        using var anyone = app.CreateClient();

        await (await anyone.PostAsJsonAsync("/api/contact-confirmations", new { token = token[..^4] }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "confirmation-link-invalid");
        (await anyone.PostAsJsonAsync("/api/contact-confirmations", new { token })).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await anyone.PostAsJsonAsync("/api/contact-confirmations", new { token })).ShouldBeProblem(HttpStatusCode.Conflict, "verification-not-pending");
        var history = await History(_auditor, accountId, "contact_email_verified");
        history.Single()["actor"]!.GetValue<string>().Should().Be("contact-confirmation-link");
    }

    [Fact]
    public async Task Given_no_contact_preference_Then_nothing_is_sent()
    {
        var accountId = await _desk.OpenAccount("cust-notify-3");
        await _desk.Post(accountId, "payments", new { amount = 5m, method = "cash" });
        var before = app.Smtp.Messages().Count;
        await Task.Delay(500);
        app.Smtp.Messages().Count.Should().Be(before);
        (await History(accountId, "notice_sent")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_contact_preference_needs_a_valid_email_for_email_notices()
    {
        var accountId = await _desk.OpenAccount("cust-notify-4");
        await (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "both" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "email-required");
        await (await _desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email = "a@b.org, c@d.org" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "email-invalid");
        var other = app.ClientFor(TestUser.Customer("cust-someone-else"));
        (await other.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "paper" })).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Given_payments_at_once_on_many_accounts_When_they_share_transactions_Then_each_customer_is_told_exactly_once()
    {
        var customers = new List<(Guid Account, string Email)>();
        for (var i = 0; i < 8; i++)
        {
            var email = Mailbox($"payer{i}");
            customers.Add((await OpenWithEmail($"cust-notify-group-{i}", email), email));
        }

        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            using var desk = app.ClientFor(TestUser.Csr($"nora.csr{i % 3}"));
            return await desk.PostAsJsonAsync($"/api/accounts/{customers[i % 8].Account}/payments",
                new { amount = 10m + i, method = "cash", reference = $"GRP-{i}" });
        }));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        await using (var connection = new Npgsql.NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var shared = new Npgsql.NpgsqlCommand(
                "select count(*) from (select xmin::text from ledger.mt_events where stream_id = any(@ids) and type = 'payment_received' " +
                "group by xmin::text having count(distinct stream_id) > 1) t", connection);
            shared.Parameters.AddWithValue("ids", customers.Select(c => c.Account).ToArray());
            ((long)(await shared.ExecuteScalarAsync())!).Should().BeGreaterThan(0, "payments on different accounts shared a transaction");
        }
        for (var c = 0; c < 8; c++)
        {
            var paid = (await app.Smtp.WaitFor(customers[c].Email, 5)).Where(m => (m.Subject ?? "").StartsWith("Payment received", StringComparison.Ordinal));
            paid.Select(m => m.Subject).Should().BeEquivalentTo(Enumerable.Range(0, 24).Where(i => i % 8 == c).Select(i => $"Payment received: {10 + i}.00 USD"),
                "each payment is told once, whichever other payments shared its transaction");
        }
        await Task.Delay(500);
        app.Smtp.Messages().Count(m => (m.Subject ?? "").StartsWith("Payment received", StringComparison.Ordinal)
                                       && customers.Any(c => m.To.Mailboxes.Any(a => a.Address == c.Email))).Should().Be(24, "and never twice");
    }

    [Fact]
    public async Task Given_fifty_payments_at_once_on_one_account_Then_each_is_told_exactly_once()
    {
        // The notices of one account are recorded on one notification stream, after the email has gone. One node delivers
        // them one at a time; deliveries that raced on the stream's version (several nodes) would rerun after the send.
        var email = Mailbox("busy");
        var accountId = await OpenWithEmail("cust-notify-busy", email);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var desk = app.ClientFor(TestUser.Csr($"nora.csr{i % 5}"));
            return await desk.PostAsJsonAsync($"/api/accounts/{accountId}/payments", new { amount = 1m + i, method = "cash" });
        }));

        responses.Select(r => r.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        IReadOnlyList<MimeMessage> Paid() => app.Smtp.Messages()
            .Where(m => m.To.Mailboxes.Any(a => a.Address == email) && (m.Subject ?? "").StartsWith("Payment received", StringComparison.Ordinal)).ToList();
        for (var deadline = DateTime.UtcNow.AddSeconds(60); Paid().Count < 50 && DateTime.UtcNow < deadline;)
            await Task.Delay(200);
        var paid = Paid();
        paid.Select(m => m.Subject).Should().BeEquivalentTo(Enumerable.Range(0, 50).Select(i => $"Payment received: {1 + i}.00 USD"));
        await Task.Delay(500);
        app.Smtp.Messages().Count(m => (m.Subject ?? "").StartsWith("Payment received", StringComparison.Ordinal)
                                       && m.To.Mailboxes.Any(a => a.Address == email)).Should().Be(50, "and never twice");
        (await History(accountId, "notice_sent")).Count(e => JsonNode.Parse(e["data"]!.GetValue<string>())!["kind"]!.GetValue<int>() == (int)Ledger.Domain.Notifications.NoticeKind.PaymentReceived)
            .Should().Be(50, "each payment's notice is on the record once");
    }

    private async Task<string> Number(Guid accountId) => (await _desk.Account(accountId))["accountNumber"]!.GetValue<string>();

    private async Task<long> AccountEventCount(Guid accountId) =>
        (await (await _auditor.GetAsync($"/api/accounts/{accountId}/history")).Content.ReadFromJsonAsync<List<JsonObject>>())!
        .Count(e => e["streamId"]!.GetValue<Guid>() == accountId);

    internal static async Task<List<JsonObject>> History(HttpClient auditor, Guid accountId, string type) =>
        (await (await auditor.GetAsync($"/api/accounts/{accountId}/history")).Content.ReadFromJsonAsync<List<JsonObject>>())!
        .Where(e => e["type"]!.GetValue<string>() == type).ToList();

    private Task<List<JsonObject>> History(Guid accountId, string type) => History(_auditor, accountId, type);
}
