using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

/// <summary><see cref="Authority.ForCorrection"/> under <see cref="Limits.Default"/>: CSR 200, manager 2,000, two approvals above 5,000.</summary>
public class AuthorityCorrectionTests
{
    private static readonly object[] History =
        [Events.Opened(), Events.Charged(Ids.Charge, 9_000m), Events.Charged(Ids.Charge2, 9_000m), Events.Paid(Ids.Payment, 500m)];

    private static Decision CorrectAs(Poster poster, Guid entryId, decimal amount, string? overrideReason = null, object[]? history = null,
        decimal usedToday = 0m)
    {
        history ??= History;
        return When.CorrectAs(poster, Given.Account(history), Given.Entry(entryId, history),
            new CorrectEntry(Ids.Account, Ids.Correction, entryId, amount, "  Billed twice "), overrideReason, usedToday);
    }

    private static EntryCorrected Corrected(decimal amount, Authorization authorization, Guid? entryId = null, EntryKind kind = EntryKind.Charge) =>
        new(Ids.Account, Ids.Correction, entryId ?? Ids.Charge, kind, amount, kind == EntryKind.Charge ? -amount : amount, "Billed twice", At.Now,
            authorization);

    private static ApprovalRequested Requested(decimal amount, Poster by, string exceeded, int approvalsRequired = 1, Guid? entryId = null) =>
        new(Ids.Account, Ids.Approval, ApprovalKind.Correction, amount, null, "Billed twice", entryId ?? Ids.Charge, by.UserId, by.Role, exceeded,
            Limits.Version, approvalsRequired, At.Now, At.Now.AddHours(72));

    [Fact]
    public void Given_a_csr_When_correction_at_max_single_correction_Then_entry_corrected_within_limits_and_nothing_drawn_from_the_allowance()
    {
        var decision = CorrectAs(Posters.Csr, Ids.Charge, 200m);

        decision.ThenEvents(Corrected(200m, new Authorization(Limits.Version, "csr.within-limits")));
        decision.AllowanceUsage.Should().Be(0m);
    }

    [Fact]
    public void Given_a_csr_who_credited_beyond_the_daily_total_When_correction_within_limits_Then_entry_corrected()
    {
        CorrectAs(Posters.Csr, Ids.Charge, 200m, usedToday: 10_000m).ThenEvents(Corrected(200m, new Authorization(Limits.Version, "csr.within-limits")));
    }

    [Fact]
    public void Given_a_csr_When_correction_one_cent_over_max_single_correction_Then_approval_requested_carrying_the_entry()
    {
        var decision = CorrectAs(Posters.Csr, Ids.Charge, 200.01m);

        decision.ThenEvents(new ApprovalRequested(Ids.Account, Ids.Approval, ApprovalKind.Correction, 200.01m, ReasonCode: null, "Billed twice",
            EntryId: Ids.Charge, "csr-ann", "csr", "csr.max-single-correction", PolicyVersion: 3, ApprovalsRequired: 1, At.Now,
            new DateTimeOffset(2025, 3, 17, 9, 30, 0, TimeSpan.Zero)));
        decision.AllowanceUsage.Should().Be(0m);
    }

    [Fact]
    public void Given_a_csr_When_a_bounced_payment_correction_over_the_limit_is_requested_Then_folding_it_leaves_the_balance_unchanged()
    {
        var decision = CorrectAs(Posters.Csr, Ids.Payment, 500m);
        decision.ThenEvents(Requested(500m, Posters.Csr, "csr.max-single-correction", entryId: Ids.Payment));

        var before = Given.Account(History);
        var after = Given.Account([.. History, .. decision.Events]);

        after.Balance.Should().Be(before.Balance);
        after.PendingApprovals[Ids.Approval].EntryId.Should().Be(Ids.Payment);
    }

    [Fact]
    public void Given_a_manager_When_correction_one_cent_over_own_max_single_correction_Then_approval_requested()
    {
        CorrectAs(Posters.Manager, Ids.Charge, 2_000.01m, overrideReason: "Billing system fault")
            .ThenEvents(Requested(2_000.01m, Posters.Manager, "manager.max-single-correction"));
    }

    [Theory]
    [InlineData("csr")]
    [InlineData("manager")]
    public void Given_any_staff_When_correction_above_second_approval_threshold_Then_approval_requested_needing_two_approvals(string role)
    {
        var poster = role == "csr" ? Posters.Csr : Posters.Manager;

        CorrectAs(poster, Ids.Charge, 5_000.01m, overrideReason: "Billing system fault")
            .ThenEvents(Requested(5_000.01m, poster, "second-approval-above", approvalsRequired: 2));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(" ")]
    public void Given_a_manager_When_correction_above_csr_limit_without_override_reason_Then_rejected_override_reason_required(string? reason)
    {
        CorrectAs(Posters.Manager, Ids.Charge, 200.01m, reason).ThenRejected("override-reason-required", "overrideReason");
    }

    [Fact]
    public void Given_a_manager_When_correction_above_csr_limit_with_override_reason_Then_entry_corrected_as_override_with_trimmed_reason()
    {
        var decision = CorrectAs(Posters.Manager, Ids.Charge, 2_000m, " Billing system fault  ");

        decision.ThenEvents(Corrected(2_000m, new Authorization(Limits.Version, "manager-override-of-csr.max-single-correction", "Billing system fault")));
        decision.AllowanceUsage.Should().Be(0m);
    }

    [Fact]
    public void Given_a_manager_When_correction_within_csr_limits_Then_entry_corrected_within_manager_limits_without_override()
    {
        CorrectAs(Posters.Manager, Ids.Charge, 200m, "Not needed")
            .ThenEvents(Corrected(200m, new Authorization(Limits.Version, "manager.within-limits")));
    }

    [Fact]
    public void Given_the_same_correction_pending_for_the_same_requester_When_requested_again_Then_conflict_duplicate_pending_request()
    {
        object[] history = [.. History, Events.CorrectionRequested(Ids.OtherApproval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction")];

        CorrectAs(Posters.Csr, Ids.Charge, 250m, history: history).ThenConflict("duplicate-pending-request", Ids.OtherApproval);
    }

    [Fact]
    public void Given_a_correction_pending_on_one_entry_When_the_same_amount_is_requested_for_another_entry_Then_approval_requested()
    {
        object[] history = [.. History, Events.CorrectionRequested(Ids.OtherApproval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction")];

        CorrectAs(Posters.Csr, Ids.Charge2, 250m, history: history)
            .ThenEvents(Requested(250m, Posters.Csr, "csr.max-single-correction", entryId: Ids.Charge2));
    }

    [Fact]
    public void Given_a_credit_of_the_same_amount_pending_When_the_same_requester_asks_for_a_correction_Then_approval_requested()
    {
        object[] history = [.. History, Events.CreditRequested(Ids.OtherApproval, 250m, Posters.Csr, "csr.max-single-credit")];

        CorrectAs(Posters.Csr, Ids.Charge, 250m, history: history).ThenEvents(Requested(250m, Posters.Csr, "csr.max-single-correction"));
    }

    [Fact]
    public void Given_a_correction_over_what_remains_When_requested_by_csr_over_limit_Then_the_posting_rejection_passes_through_unchanged()
    {
        var account = Given.Account(History);
        var entry = Given.Entry(Ids.Payment, History);
        var posting = When.Correct(account, entry, new CorrectEntry(Ids.Account, Ids.Correction, Ids.Payment, 500.01m, "Billed twice"));

        var decision = Authority.ForCorrection(account, posting, Posters.Csr, Limits.InForce(), null, Ids.Approval, At.Now);

        decision.Should().BeSameAs(posting);
        decision.ThenRejected("correction-exceeds-remaining", "amount");
    }
}
