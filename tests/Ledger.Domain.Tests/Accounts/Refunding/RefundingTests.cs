using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Domain.Approvals;
using Ledger.Domain.Payments;

namespace Ledger.Domain.Tests.Accounts.Refunding;

public class RefundingTests
{
    private const string Iban = "GB82 WEST 1234 5698 7654 32";
    private static readonly Guid Refund = Guid.Parse("aa000000-0000-0000-0000-0000000000f1");

    /// <summary>Paid 200 by card against a 50 charge: the ledger owes the customer 150.</summary>
    private static readonly object[] InCredit = [Events.Opened(), Events.Charged(Ids.Charge, 50m), Events.PaidByCard(Ids.Payment, 200m)];

    private static IssueRefund ByTransfer(decimal amount, string? iban = Iban, string? overrideReason = null) =>
        new(Ids.Account, Refund, amount, "Moving away", RefundMethod.Transfer, null, iban, overrideReason, Ids.Approval);

    private static Decision As(Poster poster, object[] history, IAccountCommand command, decimal usedToday = 0m, Entry? entry = null) =>
        command.Decide(Given.Account(history), new Facts(At.Now, poster, 1_000_000m) { Limits = Limits.InForce(usedToday), Entry = entry });

    private static Account After(object[] history, Decision decision) => decision.Events.Aggregate((Account)Given.Account(history), (a, e) => Account.Evolve(a, e)!);

    [Fact]
    public void A_csr_refunds_within_the_credit_limits_the_money_is_pending_and_drawn_from_their_daily_allowance()
    {
        var decision = As(Posters.Csr, InCredit, ByTransfer(80m));

        var issued = decision.Events.Should().ContainSingle().Which.Should().BeOfType<RefundIssued>().Subject;
        (issued.Amount, issued.DestinationAccount, issued.Reference).Should().Be((80m, "GB82WEST12345698765432", BankReferences.For(Refund)));
        issued.Authorization!.Limit.Should().Be("csr.within-limits");
        decision.AllowanceUsed!.Amount.Should().Be(80m);
        var after = After(InCredit, decision);
        (after.Balance, after.RefundableCredit).Should().Be((-150m, 70m), "a refund on its way moves no balance, but cannot be refunded twice");
    }

    [Fact]
    public void No_more_than_the_credit_balance_less_refunds_on_their_way_and_only_to_a_valid_iban()
    {
        As(Posters.Manager, InCredit, ByTransfer(150.01m)).ThenRejected("refund-exceeds-credit-balance", "amount");
        var history = InCredit.Append(new RefundIssued(Ids.Account, Ids.Credit, 100m, RefundMethod.Transfer, null, "GB82WEST12345698765432", "RF18539007547034",
            "first", At.Earlier, null)).ToArray();
        As(Posters.Manager, history, ByTransfer(50.01m)).ThenRejected("refund-exceeds-credit-balance", "amount");
        As(Posters.Csr, InCredit, ByTransfer(10m, "GB82 WEST 1234 5698 7654 33")).ThenRejected("iban-invalid", "destinationAccount");
        As(Posters.Csr, InCredit, ByTransfer(10m, null)).ThenRejected("refund-destination-required", "destinationAccount");
        As(Posters.Csr, [Events.Opened(), Events.Charged(Ids.Charge, 50m)], ByTransfer(0.01m)).ThenRejected("refund-exceeds-credit-balance", "amount");
    }

    [Fact]
    public void Above_a_csrs_limit_or_asked_by_the_customer_it_is_a_request_that_remembers_where_the_money_would_go()
    {
        var overLimit = As(Posters.Csr, InCredit, ByTransfer(120m));
        overLimit.Events.Should().HaveCount(2);
        overLimit.Events[0].Should().BeOfType<ApprovalRequested>().Which.Should().Match<ApprovalRequested>(r => r.Kind == ApprovalKind.Refund && r.ExceededLimit == "csr.max-single-credit");
        overLimit.Events[1].Should().Be(new RefundRequested(Ids.Account, Ids.Approval, RefundMethod.Transfer, null, "GB82WEST12345698765432", At.Now));

        var asked = As(Posters.Customer, InCredit, ByTransfer(20m));
        asked.Events[0].Should().BeOfType<ApprovalRequested>().Which.ExceededLimit.Should().Be(Authority.SelfServiceRequest);

        var history = InCredit.Concat(asked.Events).ToArray();
        var approved = When.Approve(Given.Account(history), null, Ids.Approval, Posters.Manager);
        var refund = approved.Events.OfType<RefundIssued>().Single();
        (refund.RefundId, refund.Amount, refund.DestinationAccount, refund.Authorization!.ApprovalId).Should()
            .Be((Ids.Applied, 20m, "GB82WEST12345698765432", Ids.Approval));
        As(Posters.Manager, InCredit, ByTransfer(120m)).ThenRejected("override-reason-required", "overrideReason");
        As(Posters.Manager, InCredit, ByTransfer(120m, overrideReason: "Customer leaving; goodwill")).Events.Should().ContainSingle();
    }

    [Fact]
    public void An_approval_checks_the_credit_balance_again_and_a_closed_account_still_gets_its_money_back()
    {
        var asked = As(Posters.Customer, InCredit, ByTransfer(150m));
        var spent = InCredit.Concat(asked.Events).Append(Events.Charged(Ids.Charge2, 100m)).ToArray();
        When.Approve(Given.Account(spent), null, Ids.Approval, Posters.Manager).ThenRejected("refund-exceeds-credit-balance", "amount");

        var closed = InCredit.Concat(asked.Events).Append(Events.Closed()).ToArray();
        When.Approve(Given.Account(closed), null, Ids.Approval, Posters.Manager).Events.OfType<RefundIssued>().Should().ContainSingle();
        As(Posters.Csr, InCredit.Append(Events.Closed()).ToArray(), ByTransfer(50m)).Events.Should().ContainSingle();
    }

    [Fact]
    public void Settled_once_the_balance_rises_and_it_is_a_line_of_its_own_failed_the_credit_is_the_customers_again()
    {
        var issued = As(Posters.Csr, InCredit, ByTransfer(80m)).Events.Single();
        var history = InCredit.Append(issued).ToArray();

        var settled = As(Posters.Manager, history, new SettleRefund(Ids.Account, Refund, "bank", "NTRY-OUT-1"));
        settled.ThenEvents(new RefundSettled(Ids.Account, Refund, 80m, RefundMethod.Transfer, "bank", "NTRY-OUT-1", At.Now));
        var done = history.Concat(settled.Events).ToArray();
        (After(history, settled).Balance, After(history, settled).RefundableCredit).Should().Be((-70m, 70m));
        Given.Entry(Refund, done).Kind.Should().Be(EntryKind.Refund);
        As(Posters.Manager, done, new SettleRefund(Ids.Account, Refund, "bank", "NTRY-OUT-1"), entry: Given.Entry(Refund, done)).Events.Should().BeEmpty();
        As(Posters.Manager, done, new FailRefund(Ids.Account, Refund, "AC04", "Closed"), entry: Given.Entry(Refund, done)).Rejection!.Rule.Should().Be("refund-settled");

        var failed = As(Posters.Manager, history, new FailRefund(Ids.Account, Refund, "AC04", "Account closed"));
        After(history, failed).RefundableCredit.Should().Be(150m);
    }

    [Fact]
    public void A_refund_to_a_card_is_settled_by_the_processor_alone_and_a_refund_is_never_corrected()
    {
        var toCard = new IssueRefund(Ids.Account, Refund, 30m, "Overpaid", RefundMethod.Card, Ids.Payment, null);
        var history = InCredit.Append(As(Posters.Csr, InCredit, toCard).Events.Single()).ToArray();

        As(Posters.Manager, history, new SettleRefund(Ids.Account, Refund, "bank", "NTRY-1")).ThenRejected("settled-by-processor", "refundId");
        var settled = history.Concat(As(Posters.Manager, history, new SettleRefund(Ids.Account, Refund, "stripe", "re_1")).Events).ToArray();
        var correction = new Ledger.Domain.Accounts.Correcting.CorrectEntry(Ids.Account, Ids.Correction, Refund, 10m, "typo");
        As(Posters.Manager, settled, correction, entry: Given.Entry(Refund, settled)).ThenRejected("refund-not-correctable", "entryId");
        As(Posters.Csr, InCredit, toCard with { CardPaymentId = null }).ThenRejected("refund-card-payment-required", "cardPaymentId");
    }
}


public class RefundsOnBillsTests
{
    [Fact]
    public void A_refund_that_left_is_a_line_that_raises_the_balance_and_one_still_on_its_way_is_not()
    {
        var stream = Ledger.Domain.Tests.Statements.Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 30m)),
            (At.Earlier, Events.PaidByCard(Ids.Payment, 100m)),
            (At.Earlier, new RefundIssued(Ids.Account, Ids.Credit, 40m, RefundMethod.Card, Ids.Payment, null, "RF18539007547034", "Overpaid", At.Earlier, null)),
            (At.Earlier, new RefundSettled(Ids.Account, Ids.Credit, 40m, RefundMethod.Card, "stripe", "re_1", At.Earlier)),
            (At.Earlier, new RefundIssued(Ids.Account, Ids.Credit2, 10m, RefundMethod.Transfer, null, "GB82WEST12345698765432", "RF18539007547034", "Rest",
                At.Earlier, null)));

        var bill = Ledger.Domain.Statements.Composing.Compose(stream, Ledger.Domain.Tests.Statements.Billing.Cutoff, Ledger.Domain.Tests.Statements.Billing.Statement)!;

        bill.Lines.Should().ContainSingle(l => l.Type == "refund").Which.Amount.Should().Be(40m);
        bill.ClosingBalance.Should().Be(-30m, "30 charged, 100 paid, 40 refunded; the 10 on its way moves nothing yet");
        bill.AmountDue.Should().Be(0m);
    }
}

public class RefundNoticesTests
{
    [Fact]
    public void The_customer_hears_when_a_refund_left_and_when_it_could_not_be_made()
    {
        var issued = new RefundIssued(Ids.Account, Ids.Credit, 40m, RefundMethod.Transfer, null, "GB82WEST12345698765432", "RF18539007547034", "Rest",
            At.Earlier, null);
        var before = (Account)Given.Account(Events.Opened(), new Ledger.Domain.Accounts.Profile.ContactPreferencesChanged(Ids.Account,
            Ledger.Domain.Accounts.Profile.ContactChannel.Email, "ada@example.org", At.Opened), Events.Credited(Ids.Credit2, 50m), issued);

        var sent = Ledger.Domain.Notifications.Noticing.For(before,
            [new(5, new RefundSettled(Ids.Account, Ids.Credit, 40m, RefundMethod.Transfer, "bank", "NTRY-1", At.Now))]);
        var failed = Ledger.Domain.Notifications.Noticing.For(before, [new(5, new RefundFailed(Ids.Account, Ids.Credit, "AC04", "Account closed", At.Now))]);

        sent.Should().ContainSingle().Which.Should().Match<Ledger.Domain.Notifications.Notice>(n =>
            n.Kind == Ledger.Domain.Notifications.NoticeKind.RefundSent && n.Amount == 40m && n.Reference == "RF18539007547034");
        failed.Should().ContainSingle().Which.Kind.Should().Be(Ledger.Domain.Notifications.NoticeKind.RefundFailed);
    }
}
