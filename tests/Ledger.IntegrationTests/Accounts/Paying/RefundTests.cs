using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Refunding;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.Accounts.Paying;

/// <summary>
/// A credit balance paid back: to the card it came from through the processor, or by bank transfer settled from the
/// bank's statement; held to the credit limits and approvals; never more than the ledger owes.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class RefundTests(LedgerApp app)
{
    private const string Iban = "GB82 WEST 1234 5698 7654 32";
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.refunds"));

    /// <summary>An account owing 50 whose customer paid 200 by card on the processor's page: 150 in credit.</summary>
    private async Task<(Guid AccountId, HttpClient Customer, HttpClient Desk)> InCreditByCard(string customerId)
    {
        var desk = app.ClientFor(TestUser.Csr($"csr.{customerId}"));
        var accountId = await desk.OpenAccount(customerId);
        await desk.Post(accountId, "charges", new { amount = 50m, description = "Broadband", category = "telecom" });
        var customer = app.ClientFor(TestUser.Customer(customerId));
        var started = await customer.PayPending(accountId, new { amount = 200m, method = "card" });
        await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>());
        await Eventually(() => desk.Balance(accountId), -150m);
        return (accountId, customer, desk);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, T expected)
    {
        var value = await Poll.Until(read, v => Equals(v, expected));
        value.Should().Be(expected);
        return value;
    }

    private static async Task<string> Status(HttpClient client, Guid accountId, Guid refundId) =>
        (await (await client.GetAsync($"/api/accounts/{accountId}/refunds/{refundId}")).Body())["status"]!.GetValue<string>();

    private async Task<JsonObject> Refund(HttpClient client, Guid accountId, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", body);
        response.StatusCode.Should().Be(HttpStatusCode.Accepted,
            await response.Content.ReadAsStringAsync() + " " + string.Join(",", (await app.Events(accountId)).Select(e => e.Type)));
        return await response.Body();
    }

    [Fact]
    public async Task A_desk_refund_within_limits_goes_back_to_the_card_and_the_processor_settles_it()
    {
        var (accountId, customer, desk) = await InCreditByCard("cust-refund-card");

        var refund = await Refund(desk, accountId, new { amount = 60m, reason = "Overpaid the bill" });

        (refund["status"]!.GetValue<string>(), refund["method"]!.GetValue<string>()).Should().Be(("pending", "card"));
        var refundId = refund["refundId"]!.GetValue<Guid>();
        (await customer.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(90m);
        await Eventually(() => Status(customer, accountId, refundId), "settled");
        (await desk.Balance(accountId)).Should().Be(-90m);
        (await app.Events(accountId)).Select(e => e.Type).Should().EndWith(new[] { "refund_issued", "refund_settled" });
        var refunds = await app.Processor.EventsAsync("refund.created");
        refunds.Should().Contain(e => e!.ToJsonString().Contains(refundId.ToString()));
        var entries = await (await customer.GetAsync($"/api/accounts/{accountId}/entries?type=refund")).Body();
        entries["items"]!.AsArray().Should().ContainSingle().Which!["entryId"]!.GetValue<Guid>().Should().Be(refundId);

        await (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", new { amount = 90.01m, reason = "All of it" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "refund-exceeds-credit-balance");
        await (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/refunds/{Guid.NewGuid()}/confirmation", new { bankReference = "NTRY-X" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "refund-unknown");
        var events = await app.Events(accountId);
        (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/refunds/{refundId}/confirmation", new { bankReference = "NTRY-X" }))
            .StatusCode.Should().Be(HttpStatusCode.OK, "a refund that left is no news");
        (await app.Events(accountId)).Should().Equal(events);
    }

    [Fact]
    public async Task A_customers_own_ask_is_always_a_request_and_once_a_manager_approves_it_goes_back_to_the_card()
    {
        var (accountId, customer, desk) = await InCreditByCard("cust-refund-approval");

        var asked = await Refund(customer, accountId, new { amount = 120m, reason = "Leaving us, please refund" });
        var approvalId = asked["approvalId"]!.GetValue<Guid>();
        var pending = (await customer.Account(accountId))["pendingApprovals"]!.AsArray().Single()!;
        pending["kind"]!.GetValue<string>().ToLowerInvariant().Should().Be("refund");
        (await desk.Balance(accountId)).Should().Be(-150m);
        var approved = await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Agreed" });
        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        await Eventually(() => desk.Balance(accountId), -30m);
        (await app.Events(accountId)).Select(e => e.Type).Should().Contain(new[] { "approval_requested", "refund_requested", "approval_approved", "refund_issued", "refund_settled" });

        var byTransfer = await Refund(customer, accountId, new { amount = 30m, reason = "The rest to my bank", destinationAccount = Iban });
        byTransfer["approvalId"].Should().NotBeNull("a customer never pays themselves out");
        await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", new { amount = 10m, reason = "x", destinationAccount = "GB00 0000" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "iban-invalid");
        await (await customer.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", new { amount = 30.01m, reason = "x", destinationAccount = Iban }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "refund-exceeds-credit-balance");
    }

    [Fact]
    public async Task A_csrs_refund_over_their_limit_waits_for_a_manager_who_cannot_be_the_csr_and_is_then_sent()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.refund-overlimit"));
        var limit = (await (await desk.GetAsync("/api/me/limits")).Body())["maxSingleCredit"]!.GetValue<decimal>();
        var accountId = await desk.OpenAccount("cust-refund-overlimit");
        var credited = await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits",
            new { amount = limit + 1m, reasonCode = "goodwill", reason = "Billing error", overrideReason = "Agreed with the customer" });
        credited.StatusCode.Should().Be(HttpStatusCode.Created, await credited.Content.ReadAsStringAsync());

        var asked = await Refund(desk, accountId, new { amount = limit + 0.5m, reason = "Send it back", destinationAccount = Iban });

        asked["exceededLimit"]!.GetValue<string>().Should().Be("csr.max-single-credit");
        (await desk.Account(accountId))["pendingRefunds"]!.AsArray().Should().BeEmpty("nothing leaves before a manager approves");
        var approvalId = asked["approvalId"]!.GetValue<Guid>();
        (await desk.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "me" })).IsSuccessStatusCode.Should().BeFalse("four eyes");
        (await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Checked" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var refunds = (await desk.Account(accountId))["pendingRefunds"]!.AsArray();
        refunds.Should().ContainSingle().Which!["amount"]!.GetValue<decimal>().Should().Be(limit + 0.5m);
        (await desk.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(0.5m);
    }

    [Fact]
    public async Task A_refund_by_transfer_settles_from_the_banks_statement_and_one_that_comes_back_is_credit_again()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.refund-transfer"));
        var accountId = await desk.OpenAccount("cust-refund-transfer");
        await desk.Post(accountId, "credits", new { amount = 90m, reasonCode = "goodwill", reason = "Outage in November" });
        await (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", new { amount = 10m, reason = "No card on file" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "refund-destination-required");

        var first = await Refund(desk, accountId, new { amount = 50m, reason = "Credit paid out", destinationAccount = Iban });
        var second = await Refund(desk, accountId, new { amount = 40m, reason = "Credit paid out", destinationAccount = Iban });
        first["destinationAccount"]!.GetValue<string>().Should().Be("GB…5432", "the full IBAN is the bank's business, not every reader's");
        var (firstId, secondId) = (first["refundId"]!.GetValue<Guid>(), second["refundId"]!.GetValue<Guid>());

        var statement = new BankFiles("camt.053.001.08")
            .Line(new BankLineSpec(50m, Credit: false) { CreditorReference = first["reference"]!.GetValue<string>(), Family = "ICDT", SubFamily = "ESCT" })
            .Line(new BankLineSpec(40m, Credit: true) { CreditorReference = second["reference"]!.GetValue<string>(), ReturnReasonCode = "AC04", SubFamily = "RRTN" });
        var import = await _manager.ImportBankFile(statement);
        var answer = await import.Body();
        import.StatusCode.Should().Be(HttpStatusCode.OK, answer.ToJsonString());
        (answer["settled"]!.GetValue<int>(), answer["returned"]!.GetValue<int>()).Should().Be((1, 1), answer.ToJsonString());

        (await Status(desk, accountId, firstId), await Status(desk, accountId, secondId)).Should().Be(("settled", "failed"));
        (await desk.Balance(accountId)).Should().Be(-40m, "50 left; the 40 came back and is the customer's again");
        (await desk.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(40m);
        var events = await app.Events(accountId);
        (await _manager.ImportBankFile(statement)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await app.Events(accountId)).Should().Equal(events);
    }

    [Fact]
    public async Task A_refund_the_processor_refuses_fails_at_once_and_the_credit_is_the_customers_again()
    {
        var desk = app.ClientFor(TestUser.Csr("csr.refund-refused"));
        var accountId = await desk.OpenAccount("cust-refund-refused");
        await desk.Post(accountId, "charges", new { amount = 50m, description = "Broadband", category = "telecom" });
        using var customer = app.ClientFor(TestUser.Customer("cust-refund-refused"));
        var started = await customer.PayPending(accountId, new { amount = 50m, method = "card" });
        var cardPayment = started["paymentId"]!.GetValue<Guid>();
        await app.Processor.PayAsync(started["paymentPageUrl"]!.GetValue<string>(), "4000 0000 0000 0259"); // paid, then disputed by the holder
        await Eventually(async () => (await (await customer.GetAsync($"/api/accounts/{accountId}/payments/{cardPayment}")).Body())["status"]!.GetValue<string>(),
            "charged-back");
        (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits",
            new { amount = 150m, reasonCode = "goodwill", reason = "Outage", overrideReason = "Long outage" })).StatusCode.Should().Be(HttpStatusCode.Created);

        // The API would not send a refund to a charged-back card; a refund recorded for one anyway (here through the write
        // path itself) reaches the processor, which refuses it, and the ledger records why.
        var refundId = Guid.CreateVersion7();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var context = new RequestContext(new Actor("mgr.refund-refused", Roles.Manager, Channel.Desk, null), "refused-refund", null, null, null);
            var issued = await Writes.OutcomeAsync(scope.ServiceProvider.GetRequiredService<IMessageBus>(), scope.ServiceProvider.GetRequiredService<IQuerySession>(),
                new AccountWrite(new IssueRefund(accountId, refundId, 40m, "Test", RefundMethod.Card, cardPayment, null, "Refused by design"), context),
                CancellationToken.None);
            issued.Kind.Should().Be(OutcomeKind.Applied, issued.Rejection?.Message);
        }

        await Eventually(() => Status(customer, accountId, refundId), "failed");
        var refund = await (await customer.GetAsync($"/api/accounts/{accountId}/refunds/{refundId}")).Body();
        refund["failureCode"]!.GetValue<string>().Should().Be("charge_disputed");
        (await customer.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(100m);
        (await app.Events(accountId)).Select(e => e.Type).Should().EndWith(new[] { "refund_issued", "refund_failed" });
        (await (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/refunds", new { amount = 10m, reason = "To the card" })).Body())
            .ToJsonString().Should().Contain("refund-destination-required", "a charged-back card payment takes no refund");
    }
}
