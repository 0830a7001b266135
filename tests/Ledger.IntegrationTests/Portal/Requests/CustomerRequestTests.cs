using System.Globalization;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using RequestCalls = Ledger.IntegrationTests.ServiceRequests.Requests;
using Microsoft.Playwright;

namespace Ledger.IntegrationTests.Portal.Requests;

/// <summary>
/// A customer's service request in real browsers: started from the catalogue, saved half done in one browser and finished in
/// another (one that runs no JavaScript, on a phone), every refusal shown next to the field or document it is about.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class CustomerRequestTests(BrowserApp app)
{
    [Fact]
    public async Task Given_an_address_change_saved_half_done_in_one_browser_When_finished_in_another_Then_refusals_sit_by_their_fields_and_it_is_received_with_a_number_and_due_time()
    {
        var customerId = $"cust-srweb-{Guid.NewGuid():N}"[..20];
        using var desk = app.Api(TestUser.Csr("carol.srweb"));
        var accountId = await desk.OpenAccount(customerId, holder: "Sam Mover");

        // First browser: from the account to the catalogue, the type's help page, then the form; half of it, saved for later.
        var first = await app.SignedInAsync("sam", "customer", customerId);
        await first.GetByRole(AriaRole.Link, new() { Name = "Requests", Exact = true }).ClickAsync();
        await Assertions.Expect(first.Locator("#catalogue")).ToContainTextAsync("Copy of a statement by post");
        await first.GetByRole(AriaRole.Link, new() { Name = "How it works: Change of address" }).ClickAsync();
        await Assertions.Expect(first.Locator("#help-page")).ToContainTextAsync("dated within the last three months");
        await Assertions.Expect(first.Locator("#type-documents")).ToContainTextAsync("Proof of address (required)");
        await first.GoBackAsync();
        await first.GetByRole(AriaRole.Button, new() { Name = "Start: Change of address" }).ClickAsync();
        await first.WaitForURLAsync("**/portal/requests/*");
        var requestId = Guid.Parse(first.Url.Split('/')[^1]);
        await Assertions.Expect(first.Locator("#fields-line1-help")).ToHaveTextAsync("House number and street.");
        await first.Locator("[name='fields.line1']").FillAsync("2 Station Road");
        await first.Locator("[name='fields.postalCode']").FillAsync("LS1 4DY");
        await first.Locator("[name='fields.country']").FillAsync("GB");
        await BrowserApp.ScreenshotAsync(first, "customer-request-draft");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save and come back later" }).ClickAsync();
        await first.WaitForURLAsync("**/portal/requests");
        await Assertions.Expect(first.Locator(".notice")).ToContainTextAsync("draft is saved. It is kept until");
        await Assertions.Expect(first.Locator($"#requests tr[data-request='{requestId}']")).ToContainTextAsync("draft");

        // Second browser, no JavaScript, a phone: the draft with its saved answers.
        var second = await app.SignedInAsync("sam", "customer", customerId, phone: true, javaScript: false);
        await second.GotoAsync("/portal/requests");
        await second.Locator($"#requests tr[data-request='{requestId}']").GetByRole(AriaRole.Link, new() { Name = "Continue the draft" }).ClickAsync();
        await Assertions.Expect(second.Locator("[name='fields.line1']")).ToHaveValueAsync("2 Station Road");
        await Assertions.Expect(second.Locator("[name='fields.postalCode']")).ToHaveValueAsync("LS1 4DY");
        await Assertions.Expect(second.Locator("[name='fields.city']")).ToHaveValueAsync("");

        // A text file is no proof of address: refused by its content, next to the document's input; the answers stay typed.
        await second.Locator("[name='fields.line2']").FillAsync("Flat 3");
        await second.Locator("[name='documents.proofOfAddress']").SetInputFilesAsync(new FilePayload
        {
            Name = "address.txt", MimeType = "text/plain", Buffer = "2 Station Road, Leeds"u8.ToArray(),
        });
        await second.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(second.Locator("[id='documents.proofOfAddress-error']")).ToContainTextAsync("Only PDF (.pdf), JPEG (.jpg, .jpeg) or PNG (.png)");
        await Assertions.Expect(second.Locator("[name='documents.proofOfAddress']")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(second.Locator("[name='fields.line2']")).ToHaveValueAsync("Flat 3");

        // A real PDF is taken; the town is still missing, said next to it.
        await second.Locator("[name='documents.proofOfAddress']").SetInputFilesAsync(new FilePayload
        {
            Name = "council-tax.pdf", MimeType = "application/pdf", Buffer = RequestCalls.Pdf(),
        });
        await second.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(second.Locator("[id='fields.city-error']")).ToHaveTextAsync("'Town or city' is required.");
        await Assertions.Expect(second.Locator("#documents")).ToContainTextAsync("council-tax.pdf");
        await Assertions.Expect(second.Locator("[id='documents.proofOfAddress-error']")).ToHaveCountAsync(0);

        await second.Locator("[name='fields.city']").FillAsync("Leeds");
        await second.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(second.Locator(".notice")).ToContainTextAsync("is received. We will complete it by");
        await Assertions.Expect(second.Locator("#status")).ToHaveTextAsync("received");
        await BrowserApp.ScreenshotAsync(second, "customer-request-received");

        using var customer = app.Api(TestUser.Customer(customerId));
        var request = await customer.Request(requestId);
        var number = request["summary"]!["number"]!.GetValue<string>();
        number.Should().MatchRegex(@"^SR-\d{4}-\d{6}$");
        var due = request.Due()!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        await Assertions.Expect(second.Locator("h1")).ToContainTextAsync(number);
        await Assertions.Expect(second.Locator(".notice")).ToContainTextAsync($"Request {number} is received. We will complete it by {due}.");
        await Assertions.Expect(second.Locator("#due")).ToHaveTextAsync(due);
        request["fields"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<string>())).Should().BeEquivalentTo(new[]
        {
            ("city", "Leeds"), ("country", "GB"), ("line1", "2 Station Road"), ("line2", "Flat 3"), ("postalCode", "LS1 4DY"),
        });
        request["documents"]!.AsArray().Select(d => (d!["slot"]!.GetValue<string>(), d["fileName"]!.GetValue<string>()))
            .Should().Equal([("proofOfAddress", "council-tax.pdf")], "the text file was refused and nothing of it recorded");

        // Back in the first browser, the list says where it stands.
        await first.ReloadAsync();
        await Assertions.Expect(first.Locator($"#requests tr[data-request='{requestId}']")).ToContainTextAsync(number);
        await Assertions.Expect(first.Locator($"#requests tr[data-request='{requestId}']")).ToContainTextAsync("working hours left");
        await first.Context.CloseAsync();
        await second.Context.CloseAsync();
    }
}
