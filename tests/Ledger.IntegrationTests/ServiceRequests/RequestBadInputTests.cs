using System.Net;
using System.Net.Http.Json;
using Ledger.Api.ServiceRequests;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>
/// What a hostile or careless caller sends a service request: each answer is a ProblemDetails naming the rule (and the field),
/// and nothing is appended to the request's stream.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class RequestBadInputTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.sr-bad"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    private async Task<(Guid AccountId, HttpClient Customer, Guid RequestId)> Draft(string customerId)
    {
        var accountId = await _desk.OpenAccount(customerId);
        var customer = app.ClientFor(TestUser.Customer(customerId));
        var draft = await customer.OpenRequest(accountId, "address-change", new() { ["line1"] = "2 Station Road" });
        return (accountId, customer, draft.Id());
    }

    private async Task<long> Version(HttpClient client, Guid requestId) => (await client.Request(requestId))["summary"]!["version"]!.GetValue<long>();

    [Fact]
    public async Task Uploads_of_the_wrong_type_too_large_unparseable_or_with_a_path_in_their_name_are_refused_and_nothing_is_recorded()
    {
        var (_, customer, id) = await Draft("cust-sr-uploads");
        var before = await Version(customer, id);

        await (await customer.Upload(id, "notes.pdf", "just some text, not a document"u8.ToArray(), "proofOfAddress"))
            .ShouldBeProblem(HttpStatusCode.UnsupportedMediaType, "document-type-not-allowed");
        await (await customer.Upload(id, "proof.pdf", "%PDF-1.7 garbage that does not parse"u8.ToArray(), "proofOfAddress"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "document-unreadable");
        var path = await (await customer.Upload(id, "../../etc/passwd.pdf", Requests.Pdf(), "proofOfAddress"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "document-name-invalid");
        path["field"]!.GetValue<string>().Should().Be("fileName");
        await (await customer.Upload(id, "proof.png", Requests.Pdf(), "proofOfAddress"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "document-type-mismatch");
        await (await customer.Upload(id, "huge.pdf", new byte[10 * 1024 * 1024 + 1], "proofOfAddress"))
            .ShouldBeProblem(HttpStatusCode.RequestEntityTooLarge, "document-too-large");
        await (await customer.Upload(id, "passport.pdf", Requests.Pdf(), "passport"))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "document-slot-unknown");

        (await Version(customer, id)).Should().Be(before, "no refused upload appends anything");
        var pdf = Requests.Pdf();
        (await customer.Upload(id, "proof.pdf", pdf, "proofOfAddress")).StatusCode.Should().Be(HttpStatusCode.Created);
        await (await customer.Upload(id, "same.pdf", pdf, "proofOfAddress")).ShouldBeProblem(HttpStatusCode.Conflict, "document-duplicate");
    }

    [Fact]
    public async Task An_uploaded_document_is_only_ever_served_as_an_attachment_that_the_browser_may_not_render_or_sniff()
    {
        var (_, customer, id) = await Draft("cust-sr-download");
        var attached = await (await customer.Upload(id, "proof.pdf", Requests.Pdf(), "proofOfAddress")).Body();
        var document = attached["documents"]!.AsArray().Single()!;
        var response = await _desk.GetAsync($"/api/service-requests/{id}/documents/{document["id"]!.GetValue<Guid>()}");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.DispositionType.Should().Be("attachment");
        response.Headers.GetValues("X-Content-Type-Options").Should().Contain("nosniff");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("sandbox");
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await response.Content.ReadAsByteArrayAsync()))
            .Should().Be(document["sha256"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_form_missing_a_required_field_or_with_a_field_it_does_not_have_is_refused_naming_the_field()
    {
        var (accountId, customer, id) = await Draft("cust-sr-fields");
        var missing = await (await customer.PostAsJsonAsync($"/api/service-requests/{id}/submission", new { }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "field-required");
        missing["field"]!.GetValue<string>().Should().Be("fields.city");
        (await (await customer.PutAsJsonAsync($"/api/service-requests/{id}/draft", new { fields = new { shoeSize = "9" } }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "field-unknown"))["field"]!.GetValue<string>().Should().Be("fields.shoeSize");
        (await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/service-requests",
                new { type = "credit-balance-refund", fields = new { amount = "12.345" }, submit = true }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "field-invalid"))["field"]!.GetValue<string>().Should().Be("fields.amount");
        await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/service-requests", new { type = "no-such-type" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "type-unknown");
        (await customer.GetAsync("/api/service-requests")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await (await customer.GetAsync("/api/service-requests")).Body())["items"]!.AsArray().Should().ContainSingle("refused requests record nothing");
    }

    [Fact]
    public async Task Another_customers_draft_is_not_found_to_read_save_submit_upload_to_or_discard()
    {
        var (_, _, id) = await Draft("cust-sr-owner");
        var stranger = app.ClientFor(TestUser.Customer("cust-sr-stranger"));
        await (await stranger.GetAsync($"/api/service-requests/{id}")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await stranger.PutAsJsonAsync($"/api/service-requests/{id}/draft", new { fields = new { line1 = "Mine now" } })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await stranger.PostAsJsonAsync($"/api/service-requests/{id}/submission", new { })).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await stranger.Upload(id, "proof.pdf", Requests.Pdf(), "proofOfAddress")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await stranger.DeleteAsync($"/api/service-requests/{id}/draft")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await stranger.PostAsJsonAsync($"/api/service-requests/{id}/answer", new { message = "hi" })).ShouldBeProblem(HttpStatusCode.NotFound);
        (await (await stranger.GetAsync("/api/service-requests")).Body())["items"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public async Task A_retired_type_cannot_be_opened_or_a_draft_of_it_submitted_and_the_refusal_names_it()
    {
        var code = $"test-type-{Guid.NewGuid():N}"[..30];
        var definition = new
        {
            code, name = "Something to retire", summary = "For the test.", helpPage = "Help.", team = "accounts", turnaroundHours = 8, action = "none",
            fields = new[] { new { name = "what", label = "What", kind = "text", required = true, help = "" } },
            documents = Array.Empty<object>(),
        };
        (await _admin.PutAsJsonAsync($"/api/service-request-types/{code}", new { definition, reason = "A test type" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var accountId = await _desk.OpenAccount("cust-sr-retired");
        var customer = app.ClientFor(TestUser.Customer("cust-sr-retired"));
        var draft = await customer.OpenRequest(accountId, code, new() { ["what"] = "this" });
        (await _admin.PostAsJsonAsync($"/api/service-request-types/{code}/retirement", new { reason = "No longer offered" })).StatusCode.Should().Be(HttpStatusCode.OK);

        (await (await customer.PostAsJsonAsync($"/api/service-requests/{draft.Id()}/submission", new { }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "type-retired"))["detail"]!.GetValue<string>().Should().Contain(code);
        (await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/service-requests", new { type = code }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "type-retired"))["field"]!.GetValue<string>().Should().Be("type");
        System.Text.Json.Nodes.JsonNode.Parse(await customer.GetStringAsync("/api/service-request-types"))!.AsArray().Select(t => t!["code"]!.GetValue<string>()).Should().NotContain(code);
        await (await _admin.PostAsJsonAsync($"/api/service-request-types/{code}/retirement", new { reason = "Again" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "type-retired");
    }

    [Fact]
    public async Task A_feedback_link_works_once_and_a_forged_one_not_at_all()
    {
        var accountId = await _desk.OpenAccount("cust-sr-feedback");
        var customer = app.ClientFor(TestUser.Customer("cust-sr-feedback"));
        var request = await customer.OpenRequest(accountId, "billing-query",
            new() { ["entryId"] = Guid.NewGuid().ToString(), ["question"] = "What is this?" }, submit: true);
        var token = app.Services.GetRequiredService<FeedbackLinks>().LinkFor(request.Id(), DateTimeOffset.UtcNow).Split("token=")[1];
        var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 5 }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "request-not-resolved");
        await _desk.PostAsJsonAsync($"/api/service-requests/{request.Id()}/completion", new { resolution = "It is the monthly fee." }).Ok();

        (await anonymous.GetAsync($"/api/service-request-feedback/{token}")).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await anonymous.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 9 }))
            .ShouldBeProblem(HttpStatusCode.BadRequest);
        (await anonymous.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 4, comment = "Clear answer." })).StatusCode
            .Should().Be(HttpStatusCode.NoContent);
        await (await anonymous.PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 1 }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "feedback-already-given");
        await (await anonymous.PostAsJsonAsync($"/api/service-request-feedback/{token[..^4]}AAAA", new { rating = 1 }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        (await customer.Request(request.Id()))["rating"]!.GetValue<int>().Should().Be(4);
    }
}
