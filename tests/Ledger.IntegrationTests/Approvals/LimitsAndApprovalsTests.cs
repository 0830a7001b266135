using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Approvals;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.Approvals;

/// <summary>Default limits (appsettings): CSR single credit 100, daily 500, 30-day per account 300; manager single credit 1,000.</summary>
[Collection(LedgerCollection.Name)]
public sealed class LimitsAndApprovalsTests(LedgerApp app)
{
    private readonly HttpClient _csr = app.ClientFor(TestUser.Csr("csr.limits"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.one"));
    private readonly HttpClient _otherManager = app.ClientFor(TestUser.Manager("mgr.two"));

    private static object Credit(decimal amount, string? overrideReason = null) =>
        new { amount, reasonCode = "goodwill", reason = "Outage", overrideReason };

    [Fact]
    public async Task Given_a_credit_over_the_CSR_limit_When_a_manager_approves_Then_it_is_applied_once_recording_requester_and_approver()
    {
        var accountId = await _csr.OpenAccount("cust-approval");
        await _csr.Post(accountId, "charges", new { amount = 200m, description = "Install", category = "internet" });

        var request = await _csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(150m));
        request.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var pending = await request.Body();
        var approvalId = pending["approvalId"]!.GetValue<Guid>();
        pending["exceededLimit"]!.GetValue<string>().Should().Be("csr.max-single-credit");
        request.Headers.Location!.ToString().Should().Be($"/api/approvals/{approvalId}");

        var account = await _csr.Account(accountId);
        account["balance"]!.GetValue<decimal>().Should().Be(200m, "a request changes no balance");
        account["pendingApprovals"]!.AsArray().Select(p => p!["approvalId"]!.GetValue<Guid>()).Should().Equal(approvalId);
        var queue = await (await _manager.GetAsync("/api/approvals?status=pending&pageSize=200")).Body();
        queue["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).Should().Contain(approvalId);

        await (await _csr.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "me" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "four-eyes");
        using var otherCsr = app.ClientFor(TestUser.Csr("csr.colleague"));
        // Another CSR's request is not theirs to see, let alone decide.
        await (await otherCsr.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "colleague" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);
        var approve = await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Long outage, fair" });
        approve.StatusCode.Should().Be(HttpStatusCode.OK, await approve.Content.ReadAsStringAsync());
        var again = await _otherManager.PostAsJsonAsync($"/api/approvals/{approvalId}/reject", new { reason = "late" });
        (await again.ShouldBeProblem(HttpStatusCode.Conflict, "approval-not-pending"))["reference"]!.GetValue<Guid>().Should().Be(approvalId);

        (await _csr.Balance(accountId)).Should().Be(50m);
        var view = await (await _manager.GetAsync($"/api/approvals/{approvalId}")).Body();
        view["status"]!.GetValue<string>().Should().Be("approved");
        view["requestedBy"]!.GetValue<string>().Should().Be("csr.limits");
        view["decidedBy"]!.GetValue<string>().Should().Be("mgr.one");
        var types = (await app.Events(accountId)).Select(e => e.Type).ToList();
        types.Count(t => t == "approval_approved").Should().Be(1);
        types.Count(t => t == "credit_issued").Should().Be(1);
        types.Should().NotContain("approval_rejected");
    }

    [Fact]
    public async Task A_manager_cannot_approve_their_own_request_and_a_duplicate_pending_request_points_at_the_first()
    {
        var accountId = await _manager.OpenAccount("cust-four-eyes");
        var first = await (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(1_500m))).Body();
        var approvalId = first["approvalId"]!.GetValue<Guid>();
        first["exceededLimit"]!.GetValue<string>().Should().Be("manager.max-single-credit");

        var duplicate = await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(1_500m));
        (await duplicate.ShouldBeProblem(HttpStatusCode.Conflict, "duplicate-pending-request"))["reference"]!.GetValue<Guid>().Should().Be(approvalId);

        await (await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "mine" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "four-eyes");
        (await _otherManager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _manager.Balance(accountId)).Should().Be(-1_500m);
    }

    [Fact]
    public async Task A_manager_over_a_CSR_limit_overrides_only_with_a_reason_and_the_override_is_on_the_event()
    {
        var accountId = await _manager.OpenAccount("cust-override");
        await (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(150m)))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "override-reason-required");
        (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(150m, "Regulator complaint")))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        var data = await app.LastEventData(accountId);
        data.Should().Contain("\"limit\": \"manager-override-of-csr.max-single-credit\"").And.Contain("\"overrideReason\": \"Regulator complaint\"");
    }

    [Fact]
    public async Task Fifty_concurrent_credits_by_one_CSR_across_ten_accounts_never_exceed_the_daily_limit_and_none_is_lost()
    {
        var csr = TestUser.Csr("csr.racer");
        var accounts = new List<Guid>();
        for (var i = 0; i < 10; i++)
            accounts.Add(await _csr.OpenAccount($"cust-race-{i}"));

        var results = await CreditRace.RunAsync(app, csr, accounts, 50);

        results.Select(r => r.Status).Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.Accepted);
        var applied = results.Where(r => r.Status == HttpStatusCode.Created).Sum(r => r.Amount);
        applied.Should().BeLessThanOrEqualTo(500m).And.BeGreaterThan(500m - 31m, "credits stop only when the next would not fit");
        var limits = await (await app.ClientFor(csr).GetAsync("/api/me/limits")).Body();
        limits["creditedToday"]!.GetValue<decimal>().Should().Be(applied);
        var balances = 0m;
        foreach (var accountId in accounts)
            balances += await _csr.Balance(accountId);
        balances.Should().Be(-applied);
        var queue = await (await _manager.GetAsync("/api/approvals?status=pending&pageSize=200")).Body();
        queue["items"]!.AsArray().Count(i => i!["requestedBy"]!.GetValue<string>() == "csr.racer")
            .Should().Be(results.Count(r => r.Status == HttpStatusCode.Accepted));
    }

    [Fact]
    public async Task Two_managers_deciding_the_same_request_at_once_produce_exactly_one_decision()
    {
        var accountId = await _csr.OpenAccount("cust-decide-race");
        var approvalId = (await (await _csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(120m))).Body())["approvalId"]!.GetValue<Guid>();

        var answers = await Task.WhenAll(
            _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "yes" }),
            _otherManager.PostAsJsonAsync($"/api/approvals/{approvalId}/reject", new { reason = "no" }));

        answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        var decisions = (await app.Events(accountId)).Count(e => e.Type is "approval_approved" or "approval_rejected");
        decisions.Should().Be(1);
    }

    [Fact]
    public async Task A_customer_asks_for_a_credit_and_a_CSR_within_limits_applies_it()
    {
        var accountId = await _csr.OpenAccount("cust-asks");
        using var customer = app.ClientFor(TestUser.Customer("cust-asks"));
        var asked = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(20m));
        asked.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var approvalId = (await asked.Body())["approvalId"]!.GetValue<Guid>();

        var approved = await _csr.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Fair" });
        approved.StatusCode.Should().Be(HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        (await customer.Balance(accountId)).Should().Be(-20m);
    }

    [Fact]
    public async Task A_CSR_granting_customer_requests_cannot_take_one_account_past_the_30_day_total_a_manager_can()
    {
        // The review's walk-around: four grants of 90-odd each by one CSR on one account, 300 allowed in 30 days.
        var accountId = await _csr.OpenAccount("cust-walks-around");
        using var customer = app.ClientFor(TestUser.Customer("cust-walks-around"));
        using var csr = app.ClientFor(TestUser.Csr("csr.grants"));
        var approvals = new List<Guid>();
        foreach (var amount in new[] { 90m, 91m, 92m, 93m })
        {
            var asked = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(amount));
            asked.StatusCode.Should().Be(HttpStatusCode.Accepted);
            approvals.Add((await asked.Body())["approvalId"]!.GetValue<Guid>());
        }

        foreach (var approvalId in approvals[..3])
            (await csr.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Fair" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var fourth = await csr.PostAsJsonAsync($"/api/approvals/{approvals[3]}/approve", new { note = "Fair" });

        fourth.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await fourth.Body())["rule"]!.GetValue<string>().Should().Be("csr.account-credit-total-30-days");
        (await customer.Balance(accountId)).Should().Be(-273m);
        (await _manager.PostAsJsonAsync($"/api/approvals/{approvals[3]}/approve", new { note = "Above the desk's limit, agreed" }))
            .StatusCode.Should().Be(HttpStatusCode.OK);
        (await customer.Balance(accountId)).Should().Be(-366m);
    }

    [Fact]
    public async Task An_undecided_request_expires_through_its_scheduled_message_and_can_no_longer_be_approved()
    {
        var accountId = await _csr.OpenAccount("cust-expiry");
        var approvalId = (await (await _csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits", Credit(130m))).Body())["approvalId"]!.GetValue<Guid>();
        (await app.ScheduledMessages("ExpireApproval")).Should().BeGreaterThan(0, "the expiry is kept durably by Wolverine");

        app.Clock.Offset = TimeSpan.FromHours(73);
        try
        {
            await (await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { }))
                .ShouldBeProblem(HttpStatusCode.Conflict, "approval-expired");
            // What the scheduled message does when its time comes:
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<Ledger.Api.Accounts.Writing.CommandOutcome>(
                new Ledger.Domain.Approvals.ExpireApproval(accountId, approvalId));
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        var view = await (await _manager.GetAsync($"/api/approvals/{approvalId}")).Body();
        view["status"]!.GetValue<string>().Should().Be("expired");
        (await _csr.Account(accountId))["pendingApprovals"]!.AsArray().Should().BeEmpty();
        (await app.Events(accountId)).Select(e => e.Type).Should().Contain("approval_expired");
    }
}
