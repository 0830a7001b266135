using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

public class RejectingApprovalsTests
{
    private static readonly object[] History =
        [Events.Opened(), Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit")];

    private static Decision Reject(object[] history, Poster decider, string reason = "  Not justified by the outage log ") =>
        When.RejectApproval(Given.Account(history), Ids.Approval, decider, reason);

    [Fact]
    public void Given_a_pending_request_When_a_manager_rejects_with_a_reason_Then_approval_rejected_with_trimmed_reason()
    {
        Reject(History, Posters.Manager).ThenEvents(
            new ApprovalRejected(Ids.Account, Ids.Approval, "mgr-max", "Not justified by the outage log", At.Now));
    }

    [Fact]
    public void Given_a_pending_request_When_rejected_Then_folding_it_clears_the_request_and_leaves_the_balance()
    {
        var after = Given.Account([.. History, .. Reject(History, Posters.Manager).Events]);

        after.PendingApprovals.Should().BeEmpty();
        after.Balance.Should().Be(0m);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_pending_request_When_rejected_without_a_reason_Then_rejected_required(string reason)
    {
        Reject(History, Posters.Manager, reason).ThenRejected("required", "reason");
    }

    [Fact]
    public void Given_a_csr_request_When_the_requester_rejects_it_Then_rejected_four_eyes()
    {
        Reject(History, Posters.Csr).ThenRejected("four-eyes");
    }

    [Fact]
    public void Given_one_of_two_approvals_granted_When_the_granting_manager_rejects_Then_rejected_four_eyes()
    {
        object[] history =
        [
            Events.Opened(), Events.CreditRequested(Ids.Approval, 6_000m, Posters.Manager, "second-approval-above", approvalsRequired: 2),
            Events.Granted(Ids.Approval, Posters.Manager2),
        ];

        Reject(history, Posters.Manager2).ThenRejected("four-eyes");
    }

    [Fact]
    public void Given_one_of_two_approvals_granted_When_another_manager_rejects_Then_approval_rejected()
    {
        object[] history =
        [
            Events.Opened(), Events.CreditRequested(Ids.Approval, 6_000m, Posters.Manager, "second-approval-above", approvalsRequired: 2),
            Events.Granted(Ids.Approval, Posters.Manager2),
        ];

        Reject(history, Posters.Manager3, "No").ThenEvents(new ApprovalRejected(Ids.Account, Ids.Approval, "mgr-moe", "No", At.Now));
    }

    [Fact]
    public void Given_a_customer_request_within_the_csr_limit_When_a_csr_rejects_Then_approval_rejected()
    {
        Reject([Events.Opened(), Events.CreditRequested(Ids.Approval, 100m, Posters.Customer, "self-service-request")], Posters.Csr, "Duplicate")
            .ThenEvents(new ApprovalRejected(Ids.Account, Ids.Approval, "csr-ann", "Duplicate", At.Now));
    }

    [Fact]
    public void Given_a_customer_request_over_the_csr_limit_When_a_csr_rejects_Then_rejected_approver_lacks_authority()
    {
        Reject([Events.Opened(), Events.CreditRequested(Ids.Approval, 100.01m, Posters.Customer, "self-service-request")], Posters.Csr)
            .ThenRejected("approver-lacks-authority");
    }

    [Fact]
    public void Given_a_csr_request_When_another_csr_rejects_Then_rejected_approver_lacks_authority()
    {
        Reject(History, Posters.Csr2).ThenRejected("approver-lacks-authority");
    }

    [Theory]
    [MemberData(nameof(Decided))]
    public void Given_a_request_already_decided_When_rejected_Then_conflict_approval_not_pending(object decision)
    {
        Reject([.. History, decision], Posters.Manager2).ThenConflict("approval-not-pending", Ids.Approval);
    }

    public static TheoryData<object> Decided =>
    [
        Events.Approved(Ids.Approval, Posters.Manager, Ids.Applied),
        Events.RejectedApproval(Ids.Approval, Posters.Manager),
        Events.Expired(Ids.Approval, At.Requested.AddHours(72)),
    ];

    [Fact]
    public void Given_a_request_past_its_expiry_When_rejected_Then_conflict_approval_expired()
    {
        Reject([Events.Opened(), Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit", at: At.Now.AddHours(-72))],
            Posters.Manager).ThenConflict("approval-expired", Ids.Approval);
    }

    [Fact]
    public void Given_a_request_on_an_account_closed_since_When_rejected_Then_approval_rejected()
    {
        Reject([.. History, Events.Closed()], Posters.Manager, "Account closed")
            .ThenEvents(new ApprovalRejected(Ids.Account, Ids.Approval, "mgr-max", "Account closed", At.Now));
    }
}
