using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Ledger.Domain.Tests.Statements;
using static Ledger.Domain.Tests.Collections.Dunning;

namespace Ledger.Domain.Tests.Collections;

public class WaivingLateFeesTests
{
    private static readonly Guid WaiverCredit = Guid.Parse("cc000000-0000-0000-0000-0000000000fe");

    private static Decision Waive(Account account, Poster poster, Guid? fee = null, decimal usedToday = 0m, string? overrideReason = null) =>
        new WaiveLateFee(Ids.Account, fee ?? LateFeeId, "First time late", WaiverCredit, overrideReason, Ids.Approval)
            .Decide(account, new Facts(Dunning.On(LateNotice.AddDays(2)), poster, When.Ceiling) { Limits = Limits.InForce(usedToday) });

    private static Account Fined => WalkedTo(LateNotice);

    [Fact]
    public void Given_a_late_fee_When_a_csr_waives_it_within_limits_Then_a_credit_of_the_fee_and_the_waiver_drawn_on_their_allowance()
    {
        var decision = Waive(Fined, Posters.Csr);

        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().BeOfType<CreditIssued>().Which.Should().Match<CreditIssued>(c =>
            c.EntryId == WaiverCredit && c.Amount == 10m && c.ReasonCode == WaiveLateFee.ReasonCode && c.Authorization!.Limit == "csr.within-limits");
        decision.Events[1].Should().Be(new LateFeeWaived(Ids.Account, LateFeeId, WaiverCredit, 10m, Dunning.On(LateNotice.AddDays(2))));
        decision.AllowanceUsage.Should().Be(10m);
    }

    [Fact]
    public void Given_an_unbilled_fee_waived_When_past_due_is_read_Then_the_bill_is_still_owed_in_full()
    {
        var waived = Fined.Then([.. Waive(Fined, Posters.Csr).Events]);

        PastDue.On(waived.Collections, LateNotice.AddDays(3))!.Amount.Should().Be(120m, "forgiving a fee pays nothing of the bill");
        waived.Balance.Should().Be(120m);
    }

    [Fact]
    public void Given_a_billed_fee_waived_When_past_due_is_read_Then_the_waiver_pays_the_fee_on_the_bill()
    {
        // The reminder and the late notice (with its fee) recorded, then the next bill, cut off on 25 May, lists the fee.
        var steps = Review(Account(Billed()), Reminder).Events.Concat(Review(WalkedTo(Reminder), LateNotice).Events);
        var stream = steps.Aggregate(Billed(), (s, e) => s.Then(Billing.IssuedAt.AddDays(36), e))
            .Issue(Billing.NextCutoff.AddDays(10), Billing.NextStatement, Billing.NextIssuedAt.AddDays(10));
        var billed = Account(stream);
        billed.Collections.LateFees[LateFeeId].Billed.Should().BeTrue();

        var waived = billed.Then([.. Waive(billed, Posters.Csr).Events]);

        var day = new DateOnly(2025, 6, 20);
        PastDue.On(billed.Collections, day)!.Amount.Should().Be(130m);
        PastDue.On(waived.Collections, day)!.Amount.Should().Be(120m);
    }

    [Fact]
    public void Given_a_fee_waived_When_waived_again_or_not_a_fee_Then_refused()
    {
        var waived = Fined.Then([.. Waive(Fined, Posters.Csr).Events]);

        Waive(waived, Posters.Manager).ThenConflict("late-fee-already-waived", LateFeeId);
        Waive(Fined, Posters.Csr, fee: Ids.Charge).ThenRejected("late-fee-not-found", "feeEntryId");
    }

    [Fact]
    public void Given_a_customer_asks_When_approved_Then_the_fee_is_waived_once()
    {
        var asked = Waive(Fined, Posters.Customer);
        var request = asked.Events.Should().ContainSingle().Which.Should().BeOfType<ApprovalRequested>().Subject;
        request.EntryId.Should().Be(LateFeeId);
        var pending = Fined.Then(request);

        Waive(pending, Posters.Csr).ThenConflict("late-fee-waiver-pending", Ids.Approval);
        var approved = When.Approve(pending, null, Ids.Approval, Posters.Csr);
        approved.Events.OfType<LateFeeWaived>().Should().ContainSingle().Which.CreditEntryId.Should().Be(Ids.Applied);
        approved.AllowanceUsage.Should().Be(10m, "the CSR grants it on their own authority");
    }

    [Fact]
    public void Given_a_csr_at_their_daily_total_When_they_waive_Then_a_manager_decides()
    {
        Waive(Fined, Posters.Csr, usedToday: 495m).Events.Should().ContainSingle().Which.Should().BeOfType<ApprovalRequested>()
            .Which.ExceededLimit.Should().Be("csr.daily-credit-total");
    }
}
