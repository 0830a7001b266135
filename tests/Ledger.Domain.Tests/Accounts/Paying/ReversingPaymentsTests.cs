using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Notifications;
using Ledger.Domain.Statements;
using Ledger.Domain.Tests.Statements;

namespace Ledger.Domain.Tests.Accounts.Paying;

public class ReversingPaymentsTests
{
    private static readonly object[] PaidByCard = [Events.Opened(), Events.Charged(Ids.Charge, 120m), Events.PaidByCard(Ids.Payment, 120m)];

    private static ReversePayment Chargeback(decimal amount = 120m, Guid? reversalId = null) =>
        new(Ids.Account, Ids.Payment, reversalId ?? Ids.Reversal, amount, ReversalKind.Chargeback, "stripe", " du_test_1 ", "fraudulent",
            "The card holder disputed the payment with their bank (fraudulent).");

    private static PaymentReversed Reversed(decimal amount = 120m) =>
        new(Ids.Account, Ids.Payment, Ids.Reversal, amount, ReversalKind.Chargeback, "stripe", "du_test_1", "fraudulent",
            "The card holder disputed the payment with their bank (fraudulent).", At.Now);

    [Fact]
    public void Given_a_settled_card_payment_When_the_processor_reports_a_chargeback_Then_the_money_is_owed_again()
    {
        var decision = When.As(Posters.Customer, Given.Account(PaidByCard), Chargeback(), Given.Entry(Ids.Payment, PaidByCard));

        decision.ThenEvents(Reversed());
        var after = decision.Events.Aggregate((Account)Given.Account(PaidByCard), (a, e) => Account.Evolve(a, e)!);
        after.Balance.Should().Be(120m);
        var entry = decision.Events.Aggregate((Entry)Given.Entry(Ids.Payment, PaidByCard), (e, d) => Entry.Evolve(e, d)!);
        entry.Remaining.Should().Be(0m);
        entry.Reversals.Should().ContainSingle().Which.Reference.Should().Be("du_test_1");
    }

    [Fact]
    public void Given_a_chargeback_recorded_When_reported_again_Then_nothing_changes()
    {
        var history = PaidByCard.Append(Reversed()).ToArray();

        When.As(Posters.Customer, Given.Account(history), Chargeback(), Given.Entry(Ids.Payment, history)).Events.Should().BeEmpty();
    }

    [Fact]
    public void A_payment_cannot_be_reversed_by_more_than_is_left_of_it_nor_before_it_settled()
    {
        When.As(Posters.Customer, Given.Account(PaidByCard), Chargeback(120.01m), Given.Entry(Ids.Payment, PaidByCard))
            .ThenRejected("reversal-exceeds-payment", "amount");
        var pending = new object[]
        {
            Events.Opened(), new PaymentInitiated(Ids.Account, Ids.Payment, 50m, PaymentMethod.Card, null, "cs_test_1", At.Earlier),
        };
        When.As(Posters.Customer, Given.Account(pending), Chargeback(50m)).ThenRejected("payment-not-settled", "paymentId");
        When.As(Posters.Customer, Given.Account(Events.Opened()), Chargeback(50m)).ThenRejected("payment-unknown", "paymentId");
    }

    [Fact]
    public void Given_a_chargeback_When_the_dispute_is_won_Then_the_payment_counts_again_once()
    {
        var history = PaidByCard.Append(Reversed()).ToArray();

        var decision = When.As(Posters.Customer, Given.Account(history), new ReinstatePayment(Ids.Account, Ids.Reversal));

        decision.ThenEvents(new PaymentReinstated(Ids.Account, Ids.Payment, Ids.Reversal, 120m, At.Now));
        var after = decision.Events.Aggregate((Account)Given.Account(history), (a, e) => Account.Evolve(a, e)!);
        after.Balance.Should().Be(0m);
        When.As(Posters.Customer, after, new ReinstatePayment(Ids.Account, Ids.Reversal)).Events.Should().BeEmpty();
        When.As(Posters.Customer, Given.Account(PaidByCard), new ReinstatePayment(Ids.Account, Ids.Reversal)).ThenRejected("reversal-unknown", "reversalId");
    }

    [Fact]
    public void Given_a_settled_check_When_the_bank_returns_it_with_a_fee_Then_both_are_owed_and_a_chargeback_never_carries_one()
    {
        var paid = new object[] { Events.Opened(), Events.Paid(Ids.Payment, 30m) };
        var returned = new ReversePayment(Ids.Account, Ids.Payment, Ids.Reversal, 30m, ReversalKind.Returned, "bank", "NTRY-9", "AM04", "Insufficient funds", 15m);

        When.As(Posters.Manager, Given.Account(paid), returned, Given.Entry(Ids.Payment, paid)).ThenEvents(
            new PaymentReversed(Ids.Account, Ids.Payment, Ids.Reversal, 30m, ReversalKind.Returned, "bank", "NTRY-9", "AM04", "Insufficient funds", At.Now),
            new ChargePosted(Ids.Account, ReversePayment.FeeEntryId(Ids.Reversal), 15m, "Returned payment fee (AM04)", "fees", null, null, At.Now));
        When.As(Posters.Manager, Given.Account(paid), returned with { Fee = 15.001m }, Given.Entry(Ids.Payment, paid)).ThenRejected("amount-too-precise", "fee");
        When.As(Posters.Manager, Given.Account(paid), returned with { Kind = ReversalKind.Chargeback }, Given.Entry(Ids.Payment, paid))
            .Events.Should().ContainSingle("a chargeback is the processor's; no fee of ours goes with it");
    }

    [Fact]
    public void A_returned_check_is_not_won_back()
    {
        var history = new object[]
        {
            Events.Opened(), Events.Paid(Ids.Payment, 30m),
            Reversed(30m) with { Kind = ReversalKind.Returned, Source = "bank", Reference = "NTRY-9", ReasonCode = "AC04", Reason = "Account closed" },
        };

        When.As(Posters.Csr, Given.Account(history), new ReinstatePayment(Ids.Account, Ids.Reversal)).ThenRejected("reversal-not-a-chargeback", "reversalId");
    }

    [Fact]
    public void The_customer_is_told_and_the_next_bill_shows_the_chargeback_and_the_win_as_adjustments()
    {
        var byEmail = new Ledger.Domain.Accounts.Profile.ContactPreferencesChanged(Ids.Account, Ledger.Domain.Accounts.Profile.ContactChannel.Email, "ada@example.org", At.Earlier);
        Noticing.For(Given.Account(PaidByCard.Append(byEmail).ToArray()), [new AppendedEvent(5, Reversed())]).Should().ContainSingle()
            .Which.Should().Match<Notice>(n => n.Kind == NoticeKind.PaymentReversed && n.Amount == 120m && n.Detail!.StartsWith("charged back"));

        var stream = Recorded.Stream(PaidByCard.Select(e => (At.Earlier, e)).ToArray())
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt)
            .Then(Billing.InApril, Reversed() with { ReversedAt = Billing.InApril })
            .Then(Billing.InApril, new PaymentReinstated(Ids.Account, Ids.Payment, Ids.Reversal, 120m, Billing.InApril));

        var next = Composing.Compose(stream, Billing.NextCutoff, Billing.NextStatement)!;
        next.Lines.Should().Equal(
            new StatementLine(Ids.Reversal, "chargeback", Billing.InApril, "Chargeback: The card holder disputed the payment with their bank (fraudulent).", 120m, true),
            new StatementLine(Ids.Reversal, "chargeback-won", Billing.InApril, "Chargeback decided in our favour: the payment stands", -120m, true));
        next.ClosingBalance.Should().Be(0m);
    }
}
