using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Notifications.Letters;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>
/// Completing a request applies its change through the ledger's own command, with that command's rules, limits and
/// approvals; a refusal leaves the request open and nothing recorded.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CompletionTests(LedgerApp app)
{
    private const string Iban = "GB82WEST12345698765432";
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.sr-completion"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    private static async Task<JsonObjectAndId> Submitted(HttpClient customer, Guid accountId, string type, Dictionary<string, string?> fields)
    {
        var request = await customer.OpenRequest(accountId, type, fields, submit: true);
        request.Status().Should().Be("received");
        return new JsonObjectAndId(request.Id());
    }

    private sealed record JsonObjectAndId(Guid Id);

    [Fact]
    public async Task A_refund_over_the_completers_limit_waits_for_a_managers_approval_and_one_within_it_is_issued_at_once()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.sr-refund"));
        var accountId = await desk.OpenAccount("cust-sr-refund");
        await desk.Post(accountId, "charges", new { amount = 50m, description = "Broadband", category = "telecom" });
        await desk.Post(accountId, "payments", new { amount = 500m, method = "cash", reference = "SR-OVERPAID" });
        var customer = app.ClientFor(TestUser.Customer("cust-sr-refund"));

        var big = await Submitted(customer, accountId, "credit-balance-refund", new() { ["amount"] = "300.00", ["iban"] = Iban });
        var parked = await desk.PostAsJsonAsync($"/api/service-requests/{big.Id}/completion", new { resolution = "Refunded to your bank." })
            .Ok(HttpStatusCode.OK);
        parked.Status().Should().Be("received", "over a CSR's 100.00 the refund is a request for approval, and the service request waits");
        var approvalId = parked["awaitingApproval"]!.GetValue<Guid>();
        (await customer.Request(big.Id))["awaitingApproval"].Should().BeNull("the customer does not see the desk's approvals");
        await (await desk.PostAsJsonAsync($"/api/service-requests/{big.Id}/completion", new { resolution = "Refunded." }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "approval-pending");
        (await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Overpaid, agreed" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var done = await desk.PostAsJsonAsync($"/api/service-requests/{big.Id}/completion", new { resolution = "Refunded to your bank." }).Ok();
        (done.Status(), done["applied"]!.GetValue<string>()).Should().Be(("resolved", "refund-issued"));
        var refundId = done["appliedId"]!.GetValue<Guid>();
        (await (await desk.GetAsync($"/api/accounts/{accountId}/refunds/{refundId}")).Body())["amount"]!.GetValue<decimal>().Should().Be(300m);

        var small = await Submitted(customer, accountId, "credit-balance-refund", new() { ["amount"] = "40.00", ["iban"] = Iban });
        var issued = await desk.PostAsJsonAsync($"/api/service-requests/{small.Id}/completion", new { resolution = "Refunded." }).Ok();
        issued.Status().Should().Be("resolved");
        (await desk.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(110m, "450 in credit, 300 and 40 on their way back");
        (await app.Events(accountId)).Count(e => e.Type == "refund_issued").Should().Be(2);
    }

    [Fact]
    public async Task Closing_an_account_that_owes_is_refused_by_the_closure_rules_and_the_request_stays_open_with_nothing_recorded()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.sr-close"));
        var accountId = await desk.OpenAccount("cust-sr-close");
        await desk.Post(accountId, "charges", new { amount = 12m, description = "Last month", category = "service" });
        var customer = app.ClientFor(TestUser.Customer("cust-sr-close"));
        var request = await Submitted(customer, accountId, "close-account", new() { ["reason"] = "Moving abroad", ["confirm"] = "yes" });
        var before = await app.Events(accountId);

        await (await desk.PostAsJsonAsync($"/api/service-requests/{request.Id}/completion", new { resolution = "Closed." }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "balance-not-zero");
        (await customer.Request(request.Id)).Status().Should().Be("received");
        (await app.Events(accountId)).Should().BeEquivalentTo(before, "the ledger refused: nothing appended");

        await desk.Post(accountId, "payments", new { amount = 12m, method = "cash", reference = "FINAL" });
        var beforeClosing = DateTimeOffset.UtcNow; // as recorded: time travel reads the events' recorded times
        var closed = await desk.PostAsJsonAsync($"/api/service-requests/{request.Id}/completion", new { resolution = "Your account is closed." }).Ok();
        closed["applied"]!.GetValue<string>().Should().Be("account-closed");
        (await desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("closed");

        // An auditor replays the request as it stood before it was completed, and finds the completion in the desk's audit trail.
        var auditor = app.ClientFor(TestUser.Auditor());
        var then = await auditor.GetAsync($"/api/service-requests/{request.Id}?asOf={Uri.EscapeDataString(beforeClosing.ToString("O"))}").Ok();
        then.Status().Should().Be("received");
        then["resolution"].Should().BeNull();
        var trail = await Poll.Until(async () => (await auditor.GetAsync("/api/audit?actor=csr.sr-close").Ok())["items"]!.AsArray()
            .Select(e => e!["type"]!.GetValue<string>()).ToList(), types => types.Contains("service_request_resolved"));
        trail.Should().Contain(["service_request_resolved", "account_closed"]);
    }

    [Fact]
    public async Task A_billing_query_that_disputes_a_charge_opens_the_dispute_and_completing_it_decides_the_dispute()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.sr-query"));
        var accountId = await desk.OpenAccount("cust-sr-query");
        var charge = await desk.Post(accountId, "charges", new { amount = 80m, description = "Roaming", category = "telecom" });
        var customer = app.ClientFor(TestUser.Customer("cust-sr-query"));
        var request = await Submitted(customer, accountId, "billing-query",
            new() { ["entryId"] = charge.ToString(), ["question"] = "I was not abroad.", ["dispute"] = "yes" });

        var linked = await Poll.Until(() => desk.Request(request.Id), r => r["disputeId"] is not null);
        linked["disputeId"].Should().NotBeNull("the dispute is opened as soon as the query is submitted");
        (await app.Events(accountId)).Select(e => e.Type).Should().Contain("charge_disputed");
        await (await desk.PostAsJsonAsync($"/api/service-requests/{request.Id}/completion", new { resolution = "Checked." }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "dispute-outcome-required");
        var done = await desk.PostAsJsonAsync($"/api/service-requests/{request.Id}/completion",
            new { resolution = "You were right: the roaming charge was ours to correct.", disputeOutcome = "upheld" }).Ok();
        done["applied"]!.GetValue<string>().Should().Be("dispute-upheld");
        (await app.Events(accountId)).Select(e => e.Type).Should().Contain("dispute_resolved");
    }

    [Fact]
    public async Task A_statement_copy_posts_a_letter_with_the_bill_exactly_as_issued()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.sr-copy"));
        var (accountId, _) = await desk.BilledAsync(_admin, "cust-sr-copy", 42m);
        var bill = System.Text.Json.Nodes.JsonNode.Parse(await desk.GetStringAsync($"/api/accounts/{accountId}/statements"))!.AsArray()[0]!;
        var customer = app.ClientFor(TestUser.Customer("cust-sr-copy"));
        var request = await Submitted(customer, accountId, "statement-copy", new() { ["statementId"] = bill["statementId"]!.GetValue<string>() });

        var done = await desk.PostAsJsonAsync($"/api/service-requests/{request.Id}/completion", new { resolution = "Posted today." }).Ok();
        done["applied"]!.GetValue<string>().Should().Be("statement-copy-posted");
        var letter = await Poll.Until(async () =>
        {
            await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
            return await session.Query<Letter>().Where(l => l.AccountId == accountId && l.Kind == Ledger.Domain.Notifications.NoticeKind.StatementCopy).ToListAsync();
        }, letters => letters.Count > 0);
        letter.Should().ContainSingle().Which.EnclosureSha256.Should().Be(bill["sha256"]!.GetValue<string>(), "the copy is the bill as issued");
    }
}
