using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Approvals;

/// <summary>
/// <see cref="Authority.ForCredit"/> under <see cref="Limits.Default"/>: CSR 100 single / 500 a day / 300 per account in 30 days,
/// manager 1,000 / 5,000 / 3,000, two approvals above 5,000, requests expire after 72 hours.
/// </summary>
public class AuthorityCreditTests
{
    private static readonly object[] History = [Events.Opened(), Events.Charged(Ids.Charge, 9_000m)];
    private static readonly Account OpenAccount = Given.Account(History);

    private static IssueCredit Credit(decimal amount) => new(Ids.Account, Ids.Credit, amount, "goodwill", "Outage on 3 March");

    private static CreditIssued Issued(decimal amount, Authorization authorization) =>
        new(Ids.Account, Ids.Credit, amount, "goodwill", "Outage on 3 March", At.Now, authorization);

    private static ApprovalRequested Requested(decimal amount, Poster by, string exceeded, int approvalsRequired = 1) =>
        new(Ids.Account, Ids.Approval, ApprovalKind.Credit, amount, "goodwill", "Outage on 3 March", null, by.UserId, by.Role, exceeded,
            Limits.Version, approvalsRequired, At.Now, At.Now.AddHours(72));

    /// <summary>Three earlier credits: one 31 days old (outside the window), two inside it (250 in all).</summary>
    private static readonly object[] CreditHistory =
    [
        Events.Opened() with { OpenedAt = At.Now.AddDays(-90) },
        Events.Charged(Ids.Charge, 9_000m),
        Events.Credited(Ids.Credit2, 100m, At.Now.AddDays(-31)),
        Events.Credited(Ids.Credit3, 150m, At.Now.AddDays(-29)),
        Events.Credited(Ids.Applied, 100m, At.Now.AddDays(-1)),
    ];

    // A CSR within every limit

    [Theory]
    [InlineData("0.01")]
    [InlineData("100")]
    public void Given_a_csr_within_all_limits_When_credit_Then_credit_issued_within_limits_drawing_the_amount_from_the_allowance(string amount)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        var decision = When.CreditAs(Posters.Csr, OpenAccount, Credit(value));

        decision.ThenEvents(Issued(value, new Authorization(Limits.Version, "csr.within-limits")));
        decision.AllowanceUsage.Should().Be(value);
    }

    [Fact]
    public void Given_a_csr_When_credit_within_limits_Then_no_override_reason_is_recorded_even_if_given()
    {
        When.CreditAs(Posters.Csr, OpenAccount, Credit(50m), overrideReason: "Because")
            .ThenEvents(Issued(50m, new Authorization(Limits.Version, "csr.within-limits")));
    }

    // Max single credit

    [Fact]
    public void Given_a_csr_When_credit_one_cent_over_max_single_credit_Then_approval_requested_and_nothing_drawn_from_the_allowance()
    {
        var decision = When.CreditAs(Posters.Csr, OpenAccount, Credit(100.01m));

        decision.ThenEvents(new ApprovalRequested(Ids.Account, Ids.Approval, ApprovalKind.Credit, 100.01m, "goodwill", "Outage on 3 March",
            EntryId: null, RequestedBy: "csr-ann", RequestedRole: "csr", ExceededLimit: "csr.max-single-credit", PolicyVersion: 3,
            ApprovalsRequired: 1, RequestedAt: At.Now, ExpiresAt: new DateTimeOffset(2025, 3, 17, 9, 30, 0, TimeSpan.Zero)));
        decision.AllowanceUsage.Should().Be(0m);
    }

    [Fact]
    public void Given_a_csr_When_credit_over_max_single_credit_is_requested_Then_folding_it_leaves_the_balance_and_entries_unchanged()
    {
        var decision = When.CreditAs(Posters.Csr, OpenAccount, Credit(150m));

        var after = Given.Account([.. History, .. decision.Events]);

        after.Balance.Should().Be(9_000m);
        after.EntryCount.Should().Be(1);
        after.RecentCredits.Should().BeEmpty();
        after.PendingApprovals.Keys.Should().Equal(Ids.Approval);
    }

    // Daily credit total (what the poster credited alone today, on any account)

    [Fact]
    public void Given_a_csr_who_used_450_today_When_credit_50_reaching_the_daily_total_exactly_Then_credit_issued()
    {
        var decision = When.CreditAs(Posters.Csr, OpenAccount, Credit(50m), usedToday: 450m);

        decision.ThenEvents(Issued(50m, new Authorization(Limits.Version, "csr.within-limits")));
        decision.AllowanceUsage.Should().Be(50m);
    }

    [Fact]
    public void Given_a_csr_who_used_450_today_When_credit_one_cent_over_the_daily_total_Then_approval_requested_for_the_daily_total()
    {
        var decision = When.CreditAs(Posters.Csr, OpenAccount, Credit(50.01m), usedToday: 450m);

        decision.ThenEvents(Requested(50.01m, Posters.Csr, "csr.daily-credit-total"));
        decision.AllowanceUsage.Should().Be(0m);
    }

    // Per-account total over the last 30 days

    [Fact]
    public void Given_250_credited_in_the_last_30_days_and_older_credits_When_csr_credits_50_reaching_the_account_total_exactly_Then_credit_issued()
    {
        When.CreditAs(Posters.Csr, Given.Account(CreditHistory), Credit(50m))
            .ThenEvents(Issued(50m, new Authorization(Limits.Version, "csr.within-limits")));
    }

    [Fact]
    public void Given_250_credited_in_the_last_30_days_When_csr_credits_one_cent_over_the_account_total_Then_approval_requested_for_the_account_total()
    {
        When.CreditAs(Posters.Csr, Given.Account(CreditHistory), Credit(50.01m))
            .ThenEvents(Requested(50.01m, Posters.Csr, "csr.account-credit-total-30-days"));
    }

    [Fact]
    public void Given_a_credit_exactly_30_days_old_When_csr_credits_Then_it_no_longer_counts_towards_the_account_total()
    {
        var account = Given.Account(
            Events.Opened() with { OpenedAt = At.Now.AddDays(-90) },
            Events.Credited(Ids.Credit2, 100m, At.Now.AddDays(-30)),
            Events.Credited(Ids.Credit3, 100m, At.Now.AddDays(-29)),
            Events.Credited(Ids.Applied, 100m, At.Now.AddDays(-1)));

        When.CreditAs(Posters.Csr, account, Credit(100m)).ThenEvents(Issued(100m, new Authorization(Limits.Version, "csr.within-limits")));
    }

    [Fact]
    public void Given_an_approved_credit_in_the_last_30_days_When_csr_credits_Then_the_approved_credit_counts_towards_the_account_total()
    {
        var account = Given.Account(
            Events.Opened(),
            Events.CreditRequested(Ids.OtherApproval, 250m, Posters.Csr2, "csr.max-single-credit"),
            Events.Approved(Ids.OtherApproval, Posters.Manager, Ids.Applied),
            Events.Credited(Ids.Applied, 250m, At.Requested.AddHours(2)));

        When.CreditAs(Posters.Csr, account, Credit(50.01m)).ThenEvents(Requested(50.01m, Posters.Csr, "csr.account-credit-total-30-days"));
    }

    // Above the second-approval threshold no one posts alone

    [Theory]
    [InlineData("csr")]
    [InlineData("manager")]
    public void Given_any_staff_When_credit_above_second_approval_threshold_Then_approval_requested_needing_two_approvals(string role)
    {
        var poster = role == "csr" ? Posters.Csr : Posters.Manager;

        When.CreditAs(poster, OpenAccount, Credit(5_000.01m), overrideReason: "Long-standing customer")
            .ThenEvents(Requested(5_000.01m, poster, "second-approval-above", approvalsRequired: 2));
    }

    [Fact]
    public void Given_a_manager_When_credit_exactly_at_second_approval_threshold_Then_one_approval_for_the_manager_limit()
    {
        When.CreditAs(Posters.Manager, OpenAccount, Credit(5_000m))
            .ThenEvents(Requested(5_000m, Posters.Manager, "manager.max-single-credit"));
    }

    // Customers (self-service) always ask

    [Theory]
    [InlineData("0.01", 1)]
    [InlineData("5000", 1)]
    [InlineData("5000.01", 2)]
    public void Given_a_customer_When_credit_of_any_amount_Then_self_service_request(string amount, int approvalsRequired)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);

        var decision = When.CreditAs(Posters.Customer, OpenAccount, Credit(value));

        decision.ThenEvents(Requested(value, Posters.Customer, "self-service-request", approvalsRequired));
        decision.AllowanceUsage.Should().Be(0m);
    }

    // A manager above a CSR's limit overrides it, with a reason

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_manager_When_credit_above_csr_limit_without_override_reason_Then_rejected_override_reason_required(string? reason)
    {
        var decision = When.CreditAs(Posters.Manager, OpenAccount, Credit(150m), overrideReason: reason);

        decision.ThenRejected("override-reason-required", "overrideReason");
        decision.AllowanceUsage.Should().Be(0m);
    }

    [Fact]
    public void Given_a_manager_When_credit_above_csr_max_single_credit_with_override_reason_Then_credit_issued_as_override_with_trimmed_reason()
    {
        var decision = When.CreditAs(Posters.Manager, OpenAccount, Credit(1_000m), overrideReason: "  Long-standing customer ");

        decision.ThenEvents(Issued(1_000m, new Authorization(Limits.Version, "manager-override-of-csr.max-single-credit", "Long-standing customer")));
        decision.AllowanceUsage.Should().Be(1_000m);
    }

    [Fact]
    public void Given_a_manager_who_used_450_today_When_credit_over_csr_daily_total_with_override_reason_Then_override_of_the_csr_daily_total()
    {
        When.CreditAs(Posters.Manager, OpenAccount, Credit(60m), usedToday: 450m, overrideReason: "Storm damage")
            .ThenEvents(Issued(60m, new Authorization(Limits.Version, "manager-override-of-csr.daily-credit-total", "Storm damage")));
    }

    [Fact]
    public void Given_250_credited_in_the_last_30_days_When_manager_credits_over_csr_account_total_with_reason_Then_override_of_the_csr_account_total()
    {
        When.CreditAs(Posters.Manager, Given.Account(CreditHistory), Credit(50.01m), overrideReason: "Storm damage")
            .ThenEvents(Issued(50.01m,
                new Authorization(Limits.Version, "manager-override-of-csr.account-credit-total-30-days", "Storm damage")));
    }

    [Fact]
    public void Given_a_manager_When_credit_within_csr_limits_Then_credit_issued_within_manager_limits_without_override()
    {
        var decision = When.CreditAs(Posters.Manager, OpenAccount, Credit(100m), overrideReason: "Not needed");

        decision.ThenEvents(Issued(100m, new Authorization(Limits.Version, "manager.within-limits")));
        decision.AllowanceUsage.Should().Be(100m);
    }

    [Fact]
    public void Given_a_manager_When_credit_one_cent_over_own_max_single_credit_Then_approval_requested_even_with_a_reason()
    {
        When.CreditAs(Posters.Manager, OpenAccount, Credit(1_000.01m), overrideReason: "Long-standing customer")
            .ThenEvents(Requested(1_000.01m, Posters.Manager, "manager.max-single-credit"));
    }

    [Fact]
    public void Given_a_manager_who_used_4_990_today_When_credit_over_own_daily_total_Then_approval_requested_for_the_manager_daily_total()
    {
        When.CreditAs(Posters.Manager, OpenAccount, Credit(10.01m), usedToday: 4_990m, overrideReason: "Storm damage")
            .ThenEvents(Requested(10.01m, Posters.Manager, "manager.daily-credit-total"));
    }

    [Fact]
    public void Given_2_950_credited_in_the_last_30_days_When_manager_credits_50_01_Then_approval_requested_for_the_manager_account_total()
    {
        var account = Given.Account(Events.Opened(), Events.Credited(Ids.Credit2, 2_950m, At.Now.AddDays(-2)));

        When.CreditAs(Posters.Manager, account, Credit(50.01m), overrideReason: "Storm damage")
            .ThenEvents(Requested(50.01m, Posters.Manager, "manager.account-credit-total-30-days"));
    }

    // One pending request per requester, kind, amount (and entry)

    [Fact]
    public void Given_the_same_credit_pending_for_the_same_requester_When_requested_again_Then_conflict_duplicate_pending_request()
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr, "csr.max-single-credit"));

        When.CreditAs(Posters.Csr, account, Credit(150m)).ThenConflict("duplicate-pending-request", Ids.OtherApproval);
    }

    [Fact]
    public void Given_a_customer_request_pending_When_the_customer_asks_again_for_the_same_amount_Then_conflict_duplicate_pending_request()
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.OtherApproval, 20m, Posters.Customer, "self-service-request"));

        When.CreditAs(Posters.Customer, account, Credit(20m)).ThenConflict("duplicate-pending-request", Ids.OtherApproval);
    }

    [Fact]
    public void Given_a_credit_pending_When_the_same_requester_asks_for_a_different_amount_Then_approval_requested()
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr, "csr.max-single-credit"));

        When.CreditAs(Posters.Csr, account, Credit(150.01m)).ThenEvents(Requested(150.01m, Posters.Csr, "csr.max-single-credit"));
    }

    [Fact]
    public void Given_a_credit_pending_When_another_user_asks_for_the_same_amount_Then_approval_requested()
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr2, "csr.max-single-credit"));

        When.CreditAs(Posters.Csr, account, Credit(150m)).ThenEvents(Requested(150m, Posters.Csr, "csr.max-single-credit"));
    }

    [Fact]
    public void Given_a_correction_of_the_same_amount_pending_When_the_same_requester_asks_for_a_credit_Then_approval_requested()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 9_000m),
            Events.CorrectionRequested(Ids.OtherApproval, Ids.Charge, 150m, Posters.Csr, "csr.max-single-correction"));

        When.CreditAs(Posters.Csr, account, Credit(150m)).ThenEvents(Requested(150m, Posters.Csr, "csr.max-single-credit"));
    }

    [Theory]
    [MemberData(nameof(Decided))]
    public void Given_the_same_credit_requested_before_and_decided_When_requested_again_Then_approval_requested(object decision)
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr, "csr.max-single-credit"),
            decision);

        When.CreditAs(Posters.Csr, account, Credit(150m)).ThenEvents(Requested(150m, Posters.Csr, "csr.max-single-credit"));
    }

    [Fact]
    public void Given_the_same_credit_requested_earlier_and_past_its_expiry_When_requested_again_Then_approval_requested()
    {
        // The old request can no longer be approved (approval-expired) even though the scheduled expiry has not run yet:
        // it must not block a fresh one as a "duplicate pending request".
        var account = Given.Account(Events.Opened(),
            Events.CreditRequested(Ids.OtherApproval, 150m, Posters.Csr, "csr.max-single-credit", at: At.Now.AddHours(-72)));

        When.CreditAs(Posters.Csr, account, Credit(150m)).ThenEvents(Requested(150m, Posters.Csr, "csr.max-single-credit"));
    }

    public static TheoryData<object> Decided =>
    [
        Events.Approved(Ids.OtherApproval, Posters.Manager, Ids.Applied),
        Events.RejectedApproval(Ids.OtherApproval, Posters.Manager),
        Events.Expired(Ids.OtherApproval, At.Requested.AddHours(72)),
    ];

    // A posting the ledger rules refused is not the authority's business

    [Fact]
    public void Given_a_closed_account_When_credit_Then_the_posting_rejection_passes_through_unchanged()
    {
        var account = Given.Account(Events.Opened(), Events.Closed());
        var posting = When.Credit(account, Credit(5_000.01m));

        var decision = Authority.ForCredit(account, posting, Posters.Customer, Limits.InForce(), null, Ids.Approval, At.Now);

        decision.Should().BeSameAs(posting);
        decision.ThenRejected("account-closed");
    }

    [Fact]
    public void Given_an_invalid_amount_When_manager_credits_above_csr_limit_without_reason_Then_the_amount_rule_not_the_override_rule()
    {
        When.CreditAs(Posters.Manager, OpenAccount, Credit(150.001m)).ThenRejected("amount-too-precise", "amount");
    }

    [Fact]
    public void Given_an_accepted_decision_that_is_not_a_credit_Then_it_passes_through_unchanged()
    {
        var other = Decision.Accept(Events.Charged(Ids.Charge2, 10_000m));

        Authority.ForCredit(OpenAccount, other, Posters.Csr, Limits.InForce(), null, Ids.Approval, At.Now).Should().BeSameAs(other);
    }
}
