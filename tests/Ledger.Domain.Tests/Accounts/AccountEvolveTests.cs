using System.Collections.Immutable;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Tests.Accounts;

public class AccountEvolveTests
{
    private static readonly Account JustOpened = new()
    {
        Id = Ids.Account, AccountNumber = Ids.AccountNumber, CustomerId = "cust-42", HolderName = "Ada Lovelace", Currency = "USD",
        BillingDay = 15, Address = Events.Home, Status = AccountStatus.Open, OpenedAt = At.Opened,
    };

    private static FluentAssertions.Equivalency.EquivalencyAssertionOptions<Account> ByMembers(
        FluentAssertions.Equivalency.EquivalencyAssertionOptions<Account> options) =>
        options.ComparingByMembers<Account>().ComparingRecordsByMembers().WithStrictOrdering();

    private static PendingApproval Pending(ApprovalRequested request, params string[] approvedBy) =>
        PendingApproval.From(request) with { ApprovedBy = approvedBy };

    [Fact]
    public void Given_account_opened_Then_an_open_account_with_zero_balance()
    {
        Given.Account(Events.Opened()).Should().Be(JustOpened);
    }

    [Fact]
    public void Given_a_mixed_history_Then_balance_entries_disputes_and_last_payment_fold_in()
    {
        var account = Given.Account(
            Events.Opened(),
            Events.Charged(Ids.Charge, 100m),                                              // 100.00
            Events.Charged(Ids.Charge2, 50.50m),                                           // 150.50
            Events.Paid(Ids.Payment, 60m),                                                 //  90.50
            Events.Credited(Ids.Credit, 10m),                                              //  80.50
            Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 20m, -20m),      //  60.50
            Events.Corrected(Ids.Correction2, Ids.Payment, EntryKind.Payment, 60m, 60m),    // 120.50 (bounced check)
            Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 20m, 20m),            // 140.50
            Events.Disputed(Ids.Dispute, Ids.Charge2),
            Events.PaidByCard(Ids.Payment2, 40.50m));                                      // 100.00

        // Member by member: the account's collections (recent credits, pending approvals) compare by reference in record equality.
        account.Should().BeEquivalentTo(JustOpened with
        {
            Balance = 100m, EntryCount = 5, OpenDisputes = 1, LastPaymentAt = At.Earlier, LastPaymentAmount = 40.50m,
            RecentCredits = [new RecentCredit(At.Earlier, 10m)],
            // What paid off the bills (none issued yet): payments, credits and corrections less what came back; not the charges.
            Collections = Domain.Collections.CollectionState.None with
            {
                Settled = 50.50m,
                Unbilled =
                [
                    new(Ids.Payment, 60m), new(Ids.Credit, 10m), new(Ids.Correction, 20m), new(Ids.Correction2, -60m), new(Ids.Reversal, -20m),
                    new(Ids.Payment2, 40.50m),
                ],
                OpenDisputes = System.Collections.Immutable.ImmutableDictionary<Guid, Guid>.Empty.Add(Ids.Dispute, Ids.Charge2),
            },
        }, ByMembers);
    }

    [Fact]
    public void Given_payments_and_credits_beyond_the_charges_Then_a_negative_credit_balance()
    {
        Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 30m), Events.Paid(Ids.Payment, 45m), Events.Credited(Ids.Credit, 5m))
            .Balance.Should().Be(-20m);
    }

    [Fact]
    public void Given_disputes_opened_and_resolved_Then_only_open_ones_are_counted()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 10m), Events.Charged(Ids.Charge2, 10m),
            Events.Disputed(Ids.Dispute, Ids.Charge), Events.Disputed(Ids.Dispute2, Ids.Charge2), Events.Resolved(Ids.Dispute, Ids.Charge));

        account.OpenDisputes.Should().Be(1);
    }

    [Fact]
    public void Given_profile_changed_Then_new_holder_and_address()
    {
        var address = new Address("3 Baker Street", "Flat B", "London", "NW1 6XE", "GB");

        Given.Account(Events.Opened(), Events.ProfileChanged("Ada King", address))
            .Should().Be(JustOpened with { HolderName = "Ada King", Address = address });
    }

    [Fact]
    public void Given_suspended_Then_status_suspended()
    {
        Given.Account(Events.Opened(), Events.Suspended()).Status.Should().Be(AccountStatus.Suspended);
    }

    [Fact]
    public void Given_suspended_then_reactivated_Then_status_open()
    {
        Given.Account(Events.Opened(), Events.Suspended(), Events.Reactivated()).Status.Should().Be(AccountStatus.Open);
    }

    [Fact]
    public void Given_closed_Then_status_closed()
    {
        Given.Account(Events.Opened(), Events.Suspended(), Events.Closed()).Status.Should().Be(AccountStatus.Closed);
    }

    [Fact]
    public void Given_no_opening_When_an_event_is_folded_Then_still_no_account()
    {
        Account.Evolve(null, Events.Charged(Ids.Charge, 10m)).Should().BeNull();
    }

    [Fact]
    public void Given_an_account_When_an_unrelated_object_is_folded_Then_the_account_is_unchanged()
    {
        Account.Evolve(JustOpened, "not an event").Should().BeSameAs(JustOpened);
    }

    // Approvals and the rolling credit window

    [Fact]
    public void Given_a_credit_request_Then_it_is_pending_on_the_account_and_the_balance_is_unchanged()
    {
        var request = Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit");

        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 100m), request);

        account.Balance.Should().Be(100m);
        account.EntryCount.Should().Be(1);
        account.RecentCredits.Should().BeEmpty();
        account.PendingApprovals.Should().BeEquivalentTo(
            new Dictionary<Guid, PendingApproval>
            {
                [Ids.Approval] = new(Ids.Approval, ApprovalKind.Credit, 150m, "goodwill", "Outage on 3 March", null, "csr-ann", "csr",
                    "csr.max-single-credit", Limits.Version, 1, At.Requested, At.Requested.AddHours(72), []),
            },
            options => options.ComparingRecordsByMembers());
    }

    [Fact]
    public void Given_a_correction_request_Then_it_is_pending_with_its_entry_and_the_balance_is_unchanged()
    {
        var request = Events.CorrectionRequested(Ids.Approval, Ids.Charge, 250m, Posters.Csr, "csr.max-single-correction");

        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 300m), request);

        account.Balance.Should().Be(300m);
        account.PendingApprovals[Ids.Approval].Should().BeEquivalentTo(Pending(request), options => options.ComparingRecordsByMembers());
        account.PendingApprovals[Ids.Approval].EntryId.Should().Be(Ids.Charge);
        account.PendingApprovals[Ids.Approval].Kind.Should().Be(ApprovalKind.Correction);
    }

    [Fact]
    public void Given_approvals_granted_Then_the_approvers_are_added_in_order()
    {
        var request = Events.CreditRequested(Ids.Approval, 6_000m, Posters.Manager, "second-approval-above", approvalsRequired: 2);

        var once = Given.Account(Events.Opened(), request, Events.Granted(Ids.Approval, Posters.Manager2));
        var twice = Given.Account(Events.Opened(), request, Events.Granted(Ids.Approval, Posters.Manager2), Events.Granted(Ids.Approval, Posters.Manager3));

        once.PendingApprovals[Ids.Approval].ApprovedBy.Should().Equal("mgr-mia");
        twice.PendingApprovals[Ids.Approval].ApprovedBy.Should().Equal("mgr-mia", "mgr-moe");
        twice.PendingApprovals[Ids.Approval].Should().BeEquivalentTo(Pending(request, "mgr-mia", "mgr-moe"),
            options => options.ComparingRecordsByMembers().WithStrictOrdering());
    }

    [Fact]
    public void Given_an_approval_granted_for_a_request_that_is_not_pending_Then_the_account_is_unchanged()
    {
        var account = Given.Account(Events.Opened(), Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit"));

        Account.Evolve(account, Events.Granted(Ids.OtherApproval, Posters.Manager)).Should().BeSameAs(account);
    }

    public static TheoryData<string> Decisions => ["approved", "rejected", "expired"];

    private static object Decided(string decision, Guid approvalId) => decision switch
    {
        "approved" => Events.Approved(approvalId, Posters.Manager, Ids.Applied),
        "rejected" => Events.RejectedApproval(approvalId, Posters.Manager),
        _ => Events.Expired(approvalId, At.Requested.AddHours(72)),
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Given_two_requests_and_one_decided_Then_only_the_other_is_still_pending(string decision)
    {
        var account = Given.Account(
            Events.Opened(),
            Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit"),
            Events.CreditRequested(Ids.OtherApproval, 160m, Posters.Csr, "csr.max-single-credit"),
            Decided(decision, Ids.Approval));

        account.PendingApprovals.Keys.Should().Equal(Ids.OtherApproval);
    }

    [Fact]
    public void Given_a_request_approved_and_its_credit_issued_Then_no_longer_pending_and_the_credit_lowers_the_balance()
    {
        var account = Given.Account(
            Events.Opened(),
            Events.Charged(Ids.Charge, 500m),
            Events.CreditRequested(Ids.Approval, 150m, Posters.Csr, "csr.max-single-credit"),
            Events.Approved(Ids.Approval, Posters.Manager, Ids.Applied),
            Events.Credited(Ids.Applied, 150m, At.Requested.AddHours(2)));

        account.PendingApprovals.Should().BeEmpty();
        account.Balance.Should().Be(350m);
        account.EntryCount.Should().Be(2);
        account.RecentCredits.Should().Equal(new RecentCredit(At.Requested.AddHours(2), 150m));
    }

    [Fact]
    public void Given_credits_over_time_Then_a_new_credit_drops_those_30_days_or_more_older_than_itself()
    {
        var account = Given.Account(
            Events.Opened() with { OpenedAt = At.Now.AddDays(-90) },
            Events.Credited(Ids.Credit, 10m, At.Now.AddDays(-40)),
            Events.Credited(Ids.Credit2, 20m, At.Now.AddDays(-30)),
            Events.Credited(Ids.Credit3, 30m, At.Now.AddDays(-29)),
            Events.Credited(Ids.Applied, 40m, At.Now));

        account.RecentCredits.Should().Equal(new RecentCredit(At.Now.AddDays(-29), 30m), new RecentCredit(At.Now, 40m));
        account.Balance.Should().Be(-100m);
    }

    [Fact]
    public void Given_credits_over_time_Then_credited_since_counts_only_those_strictly_after_the_cut_off()
    {
        var account = Given.Account(
            Events.Opened() with { OpenedAt = At.Now.AddDays(-90) },
            Events.Credited(Ids.Credit, 10m, At.Now.AddDays(-31)),
            Events.Credited(Ids.Credit2, 20m, At.Now.AddDays(-30)),
            Events.Credited(Ids.Credit3, 30m, At.Now.AddDays(-30).AddSeconds(1)));

        account.CreditedSince(At.Now.AddDays(-30)).Should().Be(30m);
        account.CreditedSince(At.Now.AddDays(-31).AddSeconds(-1)).Should().Be(60m);
        account.CreditedSince(At.Now).Should().Be(0m);
    }
}
