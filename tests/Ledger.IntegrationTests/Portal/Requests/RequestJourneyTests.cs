using System.Net.Http.Json;
using Ledger.Api.ServiceRequests;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using RequestCalls = Ledger.IntegrationTests.ServiceRequests.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal.Requests;

/// <summary>
/// A request from the customer's form to their feedback, with the desk in another browser: the desk asks for a document, the
/// customer uploads it and answers, the desk completes it through the ledger, the customer downloads the signed proof and rates
/// the service once through the link of the completion notice.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class RequestJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Given_a_name_change_submitted_in_the_portal_When_the_desk_asks_the_customer_answers_and_the_desk_completes_Then_the_customer_gets_a_signed_proof_and_rates_it_once()
    {
        var customerId = $"cust-srjny-{Guid.NewGuid():N}"[..20];
        using var arrange = app.Api(TestUser.Csr("carol.srjny"));
        var accountId = await arrange.OpenAccount(customerId, holder: "Ada Byron");

        // The customer: the form with a choice, a document, submitted.
        var customer = await app.SignedInAsync("ada", "customer", customerId);
        await customer.GetByRole(AriaRole.Link, new() { Name = "My requests" }).ClickAsync();
        await customer.GetByRole(AriaRole.Link, new() { Name = "Start a new request" }).ClickAsync();
        await customer.GetByRole(AriaRole.Button, new() { Name = "Start: Change of account holder's name" }).ClickAsync();
        await customer.WaitForURLAsync("**/portal/requests/*");
        var requestId = Guid.Parse(customer.Url.Split('/')[^1]);
        await customer.Locator("[name='fields.holderName']").FillAsync("Ada King");
        await customer.Locator("[name='fields.why']").SelectOptionAsync("marriage");
        await customer.Locator("[name='documents.proofOfName']").SetInputFilesAsync(Pdf("certificate.pdf", "Certificate of marriage, page 1"));
        await customer.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(customer.Locator(".notice")).ToContainTextAsync("is received");
        var number = (await customer.Locator("h1").TextContentAsync())!.Split('—')[^1].Trim();
        number.Should().MatchRegex(@"^SR-\d{4}-\d{6}$");

        // The desk: the queue, the request; review, a note for colleagues, then ask for the second page.
        var desk = await app.SignedInAsync("carol.srjny", "csr");
        await desk.GetByRole(AriaRole.Link, new() { Name = "Service requests" }).ClickAsync();
        var row = desk.Locator($"#requests tr[data-request='{requestId}']");
        await Assertions.Expect(row).ToContainTextAsync("Change of account holder's name");
        await Assertions.Expect(row).ToContainTextAsync("working hours left");
        await row.GetByRole(AriaRole.Link, new() { Name = number }).ClickAsync();
        await Assertions.Expect(desk.Locator("#answers")).ToContainTextAsync("Ada King");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Start the review" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#status")).ToHaveTextAsync("in review");
        await desk.Locator("#note-text").FillAsync("Internal: the registry confirms the marriage.");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Add the note" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#timeline")).ToContainTextAsync("Internal: the registry confirms the marriage.");
        // A refusal at its field: asking with nothing said.
        await desk.GetByRole(AriaRole.Button, new() { Name = "Ask the customer" }).ClickAsync();
        await Assertions.Expect(desk.Locator("#message-error")).ToBeVisibleAsync();
        await desk.Locator("#ask-message").FillAsync("Please upload page 2 of the certificate.");
        await desk.GetByRole(AriaRole.Checkbox, new() { Name = "Document showing the name" }).CheckAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Ask the customer" }).ClickAsync();
        await Assertions.Expect(desk.Locator(".notice")).ToContainTextAsync("The customer is asked");
        await Assertions.Expect(desk.Locator("#status")).ToHaveTextAsync("waiting for the customer");

        // The customer sees the question (never the note), answers without the page first, then with it.
        await customer.ReloadAsync();
        await Assertions.Expect(customer.Locator("#status")).ToHaveTextAsync("waiting for you");
        await Assertions.Expect(customer.Locator("#question")).ToContainTextAsync("Please upload page 2 of the certificate.");
        await Assertions.Expect(customer.Locator("#timeline")).Not.ToContainTextAsync("registry");
        await customer.Locator("#message").FillAsync("Here is page 2.");
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
        await Assertions.Expect(customer.Locator("[id='documents.proofOfName-error']")).ToContainTextAsync("upload it before answering");
        await customer.Locator("[name='documents.proofOfName']").SetInputFilesAsync(Pdf("certificate-page-2.pdf", "Certificate of marriage, page 2"));
        await customer.GetByRole(AriaRole.Button, new() { Name = "Send my answer" }).ClickAsync();
        await Assertions.Expect(customer.Locator(".notice")).ToContainTextAsync($"We now expect to complete request {number} by");
        await Assertions.Expect(customer.Locator("#documents")).ToContainTextAsync("certificate-page-2.pdf");

        // The desk completes it: the name changes through the ledger's own profile change.
        await desk.ReloadAsync();
        await Assertions.Expect(desk.Locator("#timeline")).ToContainTextAsync("Here is page 2.");
        await Assertions.Expect(desk.Locator("#documents")).ToContainTextAsync("certificate-page-2.pdf");
        await desk.Locator("#complete-resolution").FillAsync("Your account is now held in the name Ada King.");
        await BrowserApp.ScreenshotAsync(desk, "desk-request");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Complete the request" }).ClickAsync();
        await Assertions.Expect(desk.Locator(".notice")).ToContainTextAsync("Request completed");
        await Assertions.Expect(desk.Locator("#status")).ToHaveTextAsync("resolved");
        (await arrange.Account(accountId))["holderName"]!.GetValue<string>().Should().Be("Ada King");
        await desk.Context.CloseAsync();

        // The customer: resolved, and the proof downloads signed.
        await customer.ReloadAsync();
        await Assertions.Expect(customer.Locator("#status")).ToHaveTextAsync("resolved");
        await Assertions.Expect(customer.Locator("#outcome")).ToContainTextAsync("Ada King");
        await BrowserApp.ScreenshotAsync(customer, "customer-request-resolved");
        var download = await customer.RunAndWaitForDownloadAsync(() => customer.Locator("#proof").ClickAsync());
        download.SuggestedFilename.Should().Be($"{number}-proof.pdf");
        var proof = await File.ReadAllBytesAsync((await download.PathAsync())!);
        (await Pdfsig.ReadAsync(proof)).Should().Contain("Signature Validation: Signature is Valid.").And.Contain("ETSI.CAdES.detached");
        await customer.Context.CloseAsync();

        // The completion notice's feedback link (the one the e-mail carries), opened twice before either is sent: it takes one rating.
        using var api = app.Api(TestUser.Customer(customerId));
        var completedAt = (await api.Request(requestId))["timeline"]!.AsArray().Last(t => t!["kind"]!.GetValue<string>() == "resolved")!["at"]!
            .GetValue<DateTimeOffset>();
        var link = app.Services.GetRequiredService<FeedbackLinks>().LinkFor(requestId, completedAt);
        var one = await app.NewPageAsync(phone: true);
        var other = await one.Context.NewPageAsync();
        await one.GotoAsync(link);
        await other.GotoAsync(link);
        await Assertions.Expect(one.Locator("#number")).ToHaveTextAsync(number);
        await one.GetByRole(AriaRole.Button, new() { Name = "Send my feedback" }).ClickAsync();
        await Assertions.Expect(one.Locator("#rating-error")).ToBeVisibleAsync();
        await one.GetByLabel("4", new() { Exact = true }).CheckAsync();
        await one.GetByLabel("Anything you would like to tell us").FillAsync("Quick and clear.");
        await one.GetByRole(AriaRole.Button, new() { Name = "Send my feedback" }).ClickAsync();
        await Assertions.Expect(one.Locator(".notice")).ToHaveTextAsync("Thank you for your feedback.");
        await Assertions.Expect(one.Locator("#feedback-given")).ToBeVisibleAsync();
        await other.GetByLabel("1", new() { Exact = true }).CheckAsync();
        await other.GetByRole(AriaRole.Button, new() { Name = "Send my feedback" }).ClickAsync();
        await Assertions.Expect(other.Locator("#form-error")).ToContainTextAsync("already given");
        (await api.Request(requestId))["rating"]!.GetValue<int>().Should().Be(4);
        (await one.GotoAsync("/portal/feedback?token=not-a-token"))!.Status.Should().Be(404);
        await one.Context.CloseAsync();
    }

    private static FilePayload Pdf(string name, string text) => new() { Name = name, MimeType = "application/pdf", Buffer = RequestCalls.Pdf(text) };
}
