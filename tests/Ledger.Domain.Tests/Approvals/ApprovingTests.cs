using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

public class ApprovingTests
{
    private static readonly object[] Opened = [Events.Opened(), Events.Charged(Ids.Charge, 9_000m), Events.Paid(Ids.Payment, 500m)];

    private static readonly ApprovalRequested CsrRequest = Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit");

    private static readonly ApprovalRequested TwoManagerRequest =
        Events.CreditRequested(Ids.Approval, 6_000m, Posters.Manager, "second-approval-above", approvalsRequired: 2);

    private static Decision Approve(object[] history, Poster approver, string? note = null, Guid? entryId = null) =>
        When.Approve(Given.Account(history), entryId is { } id ? Given.Entry(id, history) : null, Ids.Approval, approver, note);

    private static ApprovalApproved Approved(Poster by, string? note = null) => new(Ids.Account, Ids.Approval, by.UserId, note, Ids.Applied, At.Now);

    private static CreditIssued Issued(decimal amount, string limit, string requestedBy, params string[] approvedBy) =>
        new(Ids.Account, Ids.Applied, amount, "goodwill", "Outage on 3 March", At.Now,
            new Authorization(Limits.Version, limit, null, Ids.Approval, requestedBy, approvedBy));

    // One approval

    [Fact]
    public void Given_a_csr_request_When_a_manager_approves_Then_approval_approved_and_credit_issued_with_who_asked_and_who_approved()
    {
        Approve([.. Opened, CsrRequest], Posters.Manager, "  Checked the outage log ").ThenEventsByMembers(
            Approved(Posters.Manager, "Checked the outage log"),
            Issued(150m, "csr.max-single-credit", "csr-ann", "mgr-max"));
    }

    [Fact]
    public void Given_a_csr_request_When_approved_Then_folding_it_applies_the_credit_and_clears_the_request()
    {
        object[] history = [.. Opened, CsrRequest];

        var after = Given.Account([.. history, .. Approve(history, Posters.Manager).Events]);

        after.Balance.Should().Be(9_000m - 500m - 150m);
        after.PendingApprovals.Should().BeEmpty();
        after.RecentCredits.Should().Equal(new RecentCredit(At.Now, 150m));
    }

    [Fact]
    public void Given_a_request_recorded_under_an_earlier_policy_version_When_approved_Then_the_authorization_keeps_the_request_version()
    {
        var request = CsrRequest with { PolicyVersion = 2 };

        Approve([.. Opened, request], Posters.Manager).ThenEventsByMembers(
            Approved(Posters.Manager),
            Issued(150m, "csr.max-single-credit", "csr-ann", "mgr-max") with
            {
                Authorization = new Authorization(2, "csr.max-single-credit", null, Ids.Approval, "csr-ann", ["mgr-max"]),
            });
    }

    [Fact]
    public void Given_a_request_without_reason_code_When_a_credit_is_approved_Then_the_credit_is_coded_approved()
    {
        Approve([.. Opened, CsrRequest with { ReasonCode = null }], Posters.Manager).ThenEventsByMembers(
            Approved(Posters.Manager),
            Issued(150m, "csr.max-single-credit", "csr-ann", "mgr-max") with { ReasonCode = "approved" });
    }

    [Fact]
    public void Given_a_suspended_account_with_a_request_When_approved_Then_credit_issued()
    {
        Approve([.. Opened, CsrRequest, Events.Suspended()], Posters.Manager).ThenEventsByMembers(
            Approved(Posters.Manager), Issued(150m, "csr.max-single-credit", "csr-ann", "mgr-max"));
    }

    // Four eyes

    [Fact]
    public void Given_a_managers_own_request_When_the_same_manager_approves_Then_rejected_four_eyes()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 1_500m, Posters.Manager, "manager.max-single-credit")], Posters.Manager)
            .ThenRejected("four-eyes");
    }

    [Fact]
    public void Given_a_managers_own_request_When_another_manager_approves_Then_approved()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 1_500m, Posters.Manager, "manager.max-single-credit")], Posters.Manager2)
            .ThenEventsByMembers(Approved(Posters.Manager2), Issued(1_500m, "manager.max-single-credit", "mgr-max", "mgr-mia"));
    }

    // Two approvals above the second-approval threshold

    [Fact]
    public void Given_a_request_needing_two_approvals_When_the_first_manager_approves_Then_approval_granted_and_nothing_applied()
    {
        Approve([.. Opened, TwoManagerRequest], Posters.Manager2, " First look ")
            .ThenEvents(new ApprovalGranted(Ids.Account, Ids.Approval, "mgr-mia", "First look", At.Now));
    }

    [Fact]
    public void Given_one_of_two_approvals_granted_When_a_second_manager_approves_Then_approved_and_credit_issued_listing_both_approvers_in_order()
    {
        Approve([.. Opened, TwoManagerRequest, Events.Granted(Ids.Approval, Posters.Manager2)], Posters.Manager3).ThenEventsByMembers(
            Approved(Posters.Manager3),
            Issued(6_000m, "second-approval-above", "mgr-max", "mgr-mia", "mgr-moe"));
    }

    [Fact]
    public void Given_one_of_two_approvals_granted_When_the_same_manager_approves_again_Then_rejected_four_eyes()
    {
        Approve([.. Opened, TwoManagerRequest, Events.Granted(Ids.Approval, Posters.Manager2)], Posters.Manager2).ThenRejected("four-eyes");
    }

    [Fact]
    public void Given_one_of_two_approvals_granted_When_the_requester_approves_Then_rejected_four_eyes()
    {
        Approve([.. Opened, TwoManagerRequest, Events.Granted(Ids.Approval, Posters.Manager2)], Posters.Manager).ThenRejected("four-eyes");
    }

    // Decided once, and in time

    [Theory]
    [MemberData(nameof(Decided))]
    public void Given_a_request_already_decided_When_approved_Then_conflict_approval_not_pending(object decision)
    {
        Approve([.. Opened, CsrRequest, decision], Posters.Manager2).ThenConflict("approval-not-pending", Ids.Approval);
    }

    public static TheoryData<object> Decided =>
    [
        Events.Approved(Ids.Approval, Posters.Manager, Ids.Applied),
        Events.RejectedApproval(Ids.Approval, Posters.Manager),
        Events.Expired(Ids.Approval, At.Requested.AddHours(72)),
    ];

    [Fact]
    public void Given_no_such_request_When_approved_Then_conflict_approval_not_pending()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr, "csr.max-single-credit")], Posters.Manager)
            .ThenConflict("approval-not-pending", Ids.Approval);
    }

    [Fact]
    public void Given_a_request_made_exactly_72_hours_ago_When_approved_Then_conflict_approval_expired()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit", at: At.Now.AddHours(-72))],
            Posters.Manager).ThenConflict("approval-expired", Ids.Approval);
    }

    [Fact]
    public void Given_a_request_made_a_second_less_than_72_hours_ago_When_approved_Then_approved()
    {
        var request = Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit", at: At.Now.AddHours(-72).AddSeconds(1));

        Approve([.. Opened, request], Posters.Manager).ThenEventsByMembers(
            Approved(Posters.Manager), Issued(150m, "csr.max-single-credit", "csr-ann", "mgr-max"));
    }

    [Fact]
    public void Given_a_request_overdue_but_not_yet_expired_by_the_schedule_When_approved_Then_conflict_approval_expired()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit", at: At.Earlier)], Posters.Manager)
            .ThenConflict("approval-expired", Ids.Approval);
    }

    // Who may approve what

    [Fact]
    public void Given_a_customer_request_at_the_csr_max_single_credit_When_a_csr_approves_Then_approved_and_credit_issued()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 100m, Posters.Customer, "self-service-request")], Posters.Csr)
            .ThenEventsByMembers(Approved(Posters.Csr), Issued(100m, "self-service-request", "cust-42-login", "csr-ann"));
    }

    [Fact]
    public void Given_a_customer_request_one_cent_over_the_csr_max_single_credit_When_a_csr_approves_Then_rejected_approver_lacks_authority()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 100.01m, Posters.Customer, "self-service-request")], Posters.Csr)
            .ThenRejected("approver-lacks-authority");
    }

    [Fact]
    public void Given_a_customer_request_over_the_csr_limit_When_a_manager_approves_Then_approved()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 900m, Posters.Customer, "self-service-request")], Posters.Manager)
            .ThenEventsByMembers(Approved(Posters.Manager), Issued(900m, "self-service-request", "cust-42-login", "mgr-max"));
    }

    [Fact]
    public void Given_a_small_customer_request_needing_two_approvals_When_a_csr_approves_Then_rejected_approver_lacks_authority()
    {
        // Only possible if the second-approval threshold was below the CSR limit when asked; a CSR never gives one of two approvals.
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 50m, Posters.Customer, "self-service-request", approvalsRequired: 2)], Posters.Csr)
            .ThenRejected("approver-lacks-authority");
    }

    [Theory]
    [InlineData("10", "csr.daily-credit-total")]
    [InlineData("100.01", "csr.max-single-credit")]
    public void Given_a_csr_request_When_another_csr_approves_Then_rejected_approver_lacks_authority(string amount, string exceeded)
    {
        var request = Events.CreditRequested(Ids.Approval, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), Posters.Csr2, exceeded);

        Approve([.. Opened, request], Posters.Csr).ThenRejected("approver-lacks-authority");
    }

    [Fact]
    public void Given_a_customer_request_When_a_customer_approves_Then_rejected_approver_lacks_authority()
    {
        Approve([.. Opened, Events.CreditRequested(Ids.Approval, 10m, Posters.Customer, "self-service-request")],
            new Poster("someone-else", Poster.Customer)).ThenRejected("approver-lacks-authority");
    }

    // Corrections: what remains of the entry is checked again when approved

    [Fact]
    public void Given_a_correction_request_on_a_charge_When_a_manager_approves_Then_approved_and_entry_corrected_lowering_the_balance()
    {
        object[] history = [.. Opened, Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction")];

        var decision = Approve(history, Posters.Manager, entryId: Ids.Charge);

        decision.ThenEventsByMembers(
            Approved(Posters.Manager),
            new EntryCorrected(Ids.Account, Ids.Applied, Ids.Charge, EntryKind.Charge, 250m, -250m, "Billed twice", At.Now,
                new Authorization(Limits.Version, "csr.max-single-correction", null, Ids.Approval, "csr-ann", ["mgr-max"])));
        Given.Account([.. history, .. decision.Events]).Balance.Should().Be(9_000m - 500m - 250m);
        Given.Entry(Ids.Charge, [.. history, .. decision.Events]).Remaining.Should().Be(8_750m);
    }

    [Fact]
    public void Given_a_correction_request_on_a_payment_When_approved_Then_entry_corrected_raising_the_balance()
    {
        object[] history = [.. Opened, Events.CorrectionRequested(Ids.Approval, Ids.Payment, 500m, Posters.Csr, "csr.max-single-correction")];

        Approve(history, Posters.Manager, entryId: Ids.Payment).ThenEventsByMembers(
            Approved(Posters.Manager),
            new EntryCorrected(Ids.Account, Ids.Applied, Ids.Payment, EntryKind.Payment, 500m, 500m, "Billed twice", At.Now,
                new Authorization(Limits.Version, "csr.max-single-correction", null, Ids.Approval, "csr-ann", ["mgr-max"])));
    }

    [Fact]
    public void Given_the_entry_corrected_meanwhile_below_the_requested_amount_When_approved_Then_rejected_correction_exceeds_remaining()
    {
        object[] history =
        [
            .. Opened,
            Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction"),
            Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 8_750.01m, -8_750.01m),
        ];

        Approve(history, Posters.Manager, entryId: Ids.Charge).ThenRejected("correction-exceeds-remaining");
    }

    [Fact]
    public void Given_the_entry_corrected_meanwhile_to_exactly_the_requested_amount_When_approved_Then_entry_corrected()
    {
        object[] history =
        [
            .. Opened,
            Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction"),
            Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 8_750m, -8_750m),
        ];

        Approve(history, Posters.Manager, entryId: Ids.Charge).ThenEventsByMembers(
            Approved(Posters.Manager),
            new EntryCorrected(Ids.Account, Ids.Applied, Ids.Charge, EntryKind.Charge, 250m, -250m, "Billed twice", At.Now,
                new Authorization(Limits.Version, "csr.max-single-correction", null, Ids.Approval, "csr-ann", ["mgr-max"])));
    }

    [Fact]
    public void Given_a_correction_request_When_approved_without_the_entry_Then_rejected_correction_exceeds_remaining()
    {
        Approve([.. Opened, Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction")], Posters.Manager)
            .ThenRejected("correction-exceeds-remaining");
    }

    [Fact]
    public void Given_a_correction_request_When_approved_with_another_entry_Then_rejected_correction_exceeds_remaining()
    {
        object[] history = [.. Opened, Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction")];

        Approve(history, Posters.Manager, entryId: Ids.Payment).ThenRejected("correction-exceeds-remaining");
    }

    [Fact]
    public void Given_a_correction_request_needing_two_approvals_When_the_first_approves_Then_approval_granted_and_nothing_corrected()
    {
        object[] history = [.. Opened, Events.CorrectionRequested(Ids.Approval, Ids.Charge, 5_000.01m, Posters.Manager, "second-approval-above", 2)];

        Approve(history, Posters.Manager2, entryId: Ids.Charge).ThenEvents(new ApprovalGranted(Ids.Account, Ids.Approval, "mgr-mia", null, At.Now));
    }

    // Closed accounts

    [Fact]
    public void Given_a_request_on_an_account_closed_since_When_approved_Then_rejected_account_closed()
    {
        Approve([Events.Opened(), CsrRequest, Events.Closed()], Posters.Manager).ThenRejected("account-closed");
    }

    [Fact]
    public void Given_a_request_needing_two_approvals_on_an_account_closed_since_When_the_first_approves_Then_rejected_account_closed()
    {
        Approve([Events.Opened(), TwoManagerRequest, Events.Closed()], Posters.Manager2).ThenRejected("account-closed");
    }
}
