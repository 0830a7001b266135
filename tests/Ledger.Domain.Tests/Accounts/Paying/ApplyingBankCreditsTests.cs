using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Payments;

namespace Ledger.Domain.Tests.Accounts.Paying;

public class ApplyingBankCreditsTests
{
    private static readonly Guid Own = Guid.Parse("b0000000-0000-0000-0000-0000000000b1");

    private static readonly object[] TransferPending =
    [
        Events.Opened(), Events.Charged(Ids.Charge, 100m),
        new PaymentInitiated(Ids.Account, Ids.Payment, 100m, PaymentMethod.Transfer, "SEPA-991", null, At.Earlier),
    ];

    private static ApplyBankCredit Credit(decimal amount, Guid? paymentId = null, string currency = "USD") =>
        new(Ids.Account, paymentId, Own, amount, currency, PaymentMethod.Transfer, "E2E-1", "NTRY-1");

    [Fact]
    public void The_amount_pending_settles_the_payment_under_the_banks_reference()
    {
        When.As(Posters.Manager, Given.Account(TransferPending), Credit(100m, Ids.Payment)).ThenEvents(
            new PaymentConfirmed(Ids.Account, Ids.Payment, "bank", "NTRY-1", At.Now),
            new PaymentReceived(Ids.Account, Ids.Payment, 100m, PaymentMethod.Transfer, "SEPA-991", null, null, At.Now));
    }

    [Fact]
    public void Another_amount_settles_as_what_arrived_and_the_pending_payment_fails_keeping_its_quoted_reference()
    {
        var decision = When.As(Posters.Csr, Given.Account(TransferPending), Credit(90m, Ids.Payment));

        decision.Events.Should().HaveCount(3);
        decision.Events[0].Should().BeOfType<PaymentFailed>().Which.ReasonCode.Should().Be(ApplyBankCredit.ArrivedForAnotherAmount);
        decision.Events[2].Should().Be(new PaymentReceived(Ids.Account, Own, 90m, PaymentMethod.Transfer, BankReferences.For(Ids.Payment), null, null, At.Now));
        var after = decision.Events.Aggregate((Account)Given.Account(TransferPending), (a, e) => Account.Evolve(a, e)!);
        (after.Balance, after.PendingPayments.Count).Should().Be((10m, 0));
    }

    [Fact]
    public void Money_for_the_account_alone_is_a_payment_of_its_own_once()
    {
        var decision = When.As(Posters.Manager, Given.Account(TransferPending), Credit(25m));
        decision.Events.OfType<PaymentReceived>().Single().EntryId.Should().Be(Own);

        var received = new PaymentReceived(Ids.Account, Own, 25m, PaymentMethod.Transfer, "E2E-1", null, null, At.Now);
        var history = TransferPending.Append(received).ToArray();
        When.As(Posters.Manager, Given.Account(history), Credit(25m), Given.Entry(Own, history)).Events.Should().BeEmpty();
    }

    [Fact]
    public void Another_currency_a_closed_account_a_settled_or_card_payment_are_refused()
    {
        When.As(Posters.Manager, Given.Account(TransferPending), Credit(100m, Ids.Payment, "EUR")).ThenRejected("currency-differs", "currency");
        When.As(Posters.Manager, Given.Account(TransferPending.Append(Events.Closed()).ToArray()), Credit(5m)).ThenRejected("account-closed");
        When.As(Posters.Manager, Given.Account(TransferPending), Credit(5m, Ids.Payment2)).Rejection.Should()
            .Match<Rejection>(r => r.Rule == "payment-not-pending" && r.Field == "paymentId" && r.IsConflict);
        var card = new object[] { Events.Opened(), new PaymentInitiated(Ids.Account, Ids.Payment, 40m, PaymentMethod.Card, null, "cs_test_1", At.Earlier) };
        When.As(Posters.Manager, Given.Account(card), Credit(40m, Ids.Payment)).ThenRejected("settled-by-processor", "paymentId");
        When.As(Posters.Manager, Given.Account(TransferPending), Credit(0.001m)).Rejection.Should().NotBeNull();
    }

    [Fact]
    public void A_bank_return_of_a_card_payment_is_refused_and_of_a_transfer_takes_what_is_left_when_no_amount_is_given()
    {
        var paid = new object[] { Events.Opened(), Events.Charged(Ids.Charge, 120m), Events.PaidByCard(Ids.Payment, 120m) };
        var bankReturn = new ReversePayment(Ids.Account, Ids.Payment, Ids.Reversal, null, ReversalKind.Returned, "bank", "RTN-1", "AC04", "Account closed");
        When.As(Posters.Manager, Given.Account(paid), bankReturn, Given.Entry(Ids.Payment, paid)).ThenRejected("card-returned-by-processor", "paymentId");

        var byTransfer = new object[]
        {
            Events.Opened(), Events.Charged(Ids.Charge, 120m),
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Transfer, "T-1", null, null, At.Earlier),
        };
        When.As(Posters.Manager, Given.Account(byTransfer), bankReturn, Given.Entry(Ids.Payment, byTransfer))
            .Events.OfType<PaymentReversed>().Single().Amount.Should().Be(120m);
    }
}
