using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Ledger.IntegrationTests.Harness;
using MimeKit;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>What the customer is told about a request, by e-mail through a real SMTP server: its number and due time, what the desk
/// asks, the delay and its reason, and the completion with the signed proof attached and a feedback link that works once.</summary>
[Collection(NotificationCollection.Name)]
public sealed class RequestNoticeTests(NotificationApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.sr-notices"));

    [Fact]
    public async Task The_customer_hears_the_number_and_due_time_what_is_asked_and_gets_the_signed_proof_and_a_single_use_feedback_link()
    {
        var email = $"sr-{Guid.NewGuid():N}@example.org";
        var accountId = await _desk.OpenAccount("cust-sr-notices", holder: "Ada Lovelace");
        var customer = app.ClientFor(TestUser.Customer("cust-sr-notices"));
        (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email })).StatusCode.Should().Be(HttpStatusCode.OK);
        await customer.ConfirmContact(app.Smtp, email);
        await app.Smtp.WaitFor(email, 2);

        var request = await customer.OpenRequest(accountId, "holder-name-change", new() { ["holderName"] = "Ada King", ["why"] = "marriage" });
        var id = request.Id();
        (await customer.Upload(id, "certificate.pdf", Requests.Pdf("Certificate of marriage"), "proofOfName")).StatusCode.Should().Be(HttpStatusCode.Created);
        var submitted = await customer.PostAsJsonAsync($"/api/service-requests/{id}/submission", new { }).Ok();
        var number = submitted["summary"]!["number"]!.GetValue<string>();
        await _desk.PostAsJsonAsync($"/api/service-requests/{id}/information-requests", new { message = "Please add page 2 of the certificate." }).Ok();
        await _desk.PostAsJsonAsync($"/api/service-requests/{id}/notes", new { text = "Internal: looks genuine" }).Ok();
        await customer.PostAsJsonAsync($"/api/service-requests/{id}/answer", new { message = "There is only one page." }).Ok();
        await _desk.PostAsJsonAsync($"/api/service-requests/{id}/completion", new { resolution = "Your account is now held in the name Ada King." }).Ok();

        var mail = (await app.Smtp.WaitFor(email, 6)).Skip(2).ToList();
        var received = mail.Single(m => m.Subject == $"Request {number} received");
        Text(received).Should().Contain("Change of account holder's name").And.Contain("we will complete it by").And.Contain(RequestDue(submitted));
        mail.Single(m => m.Subject == $"Request {number}: we need something from you").TextBody.Should().Contain("page 2 of the certificate");
        mail.Should().NotContain(m => (m.TextBody ?? "").Contains("Internal: looks genuine"), "notes stay at the desk");
        var done = mail.Single(m => m.Subject == $"Request {number}: the requested service is processed");
        Text(done).Should().Contain("Ada King");
        var proof = done.Attachments.OfType<MimePart>().Single();
        proof.Content.Should().NotBeNull();
        proof.FileName.Should().Be($"{number}-proof.pdf");
        using var bytes = new MemoryStream();
        await proof.Content!.DecodeToAsync(bytes);
        (await Pdfsig.ReadAsync(bytes.ToArray())).Should().Contain("Signature is Valid");
        // The same signed bytes the portal serves.
        (await (await customer.GetAsync($"/api/service-requests/{id}/proof")).Content.ReadAsByteArrayAsync()).Should().Equal(bytes.ToArray());
        mail.Should().Contain(m => m.Subject == "The address on your account changed", "the name changed through the ledger's own profile change");

        var token = Regex.Match(Text(done), "feedback\\?token=([A-Za-z0-9_-]+)").Groups[1].Value;
        token.Should().NotBeEmpty(Text(done));
        var anyone = app.CreateClient();
        (await anyone.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 5, comment = "Quick" })).StatusCode.Should().Be(HttpStatusCode.NoContent);
        await (await anyone.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 5 })).ShouldBeProblem(HttpStatusCode.Conflict, "feedback-already-given");
    }

    private static string Text(MimeMessage m) => m.TextBody ?? "";

    private static string RequestDue(System.Text.Json.Nodes.JsonObject request) =>
        request.Due()!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
