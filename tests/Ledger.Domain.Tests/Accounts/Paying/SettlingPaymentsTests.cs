using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;

namespace Ledger.Domain.Tests.Accounts.Paying;

public class SettlingPaymentsTests
{
    private const decimal Allowance = 500m;
    private static readonly Account Owing120 = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m));

    private static StartPayment Start(decimal amount, PaymentMethod method, string? reference = null, string? brand = null, string? last4 = null) =>
        new(Ids.Account, Ids.Payment, amount, method, reference, method == PaymentMethod.Card ? "cs_test_1" : null, brand, last4, Allowance);

    private static PaymentInitiated Initiated(decimal amount, PaymentMethod method = PaymentMethod.Transfer, string? reference = "INV-7") =>
        new(Ids.Account, Ids.Payment, amount, method, reference, method == PaymentMethod.Card ? "cs_test_1" : null, At.Earlier);

    [Fact]
    public void Given_customer_owing_120_When_paying_by_card_online_Then_pending_and_balance_unchanged()
    {
        var decision = When.As(Posters.Customer, Owing120, Start(120m, PaymentMethod.Card));

        decision.ThenEvents(new PaymentInitiated(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, "cs_test_1", At.Now));
        var after = decision.Events.Aggregate(Owing120, (a, e) => Account.Evolve(a, e)!);
        after.Balance.Should().Be(120m);
        after.PendingPayments.Should().ContainKey(Ids.Payment);
    }

    [Theory]
    [InlineData(PaymentMethod.Check)]
    [InlineData(PaymentMethod.Transfer)]
    public void Given_customer_When_saying_they_sent_a_check_or_transfer_Then_pending_with_the_reference(PaymentMethod method)
    {
        When.As(Posters.Customer, Owing120, Start(100m, method, " INV-7 ")).ThenEvents(
            new PaymentInitiated(Ids.Account, Ids.Payment, 100m, method, "INV-7", null, At.Now));
    }

    [Fact]
    public void Given_customer_owing_120_When_paying_a_huge_transfer_Then_refused_above_amount_due_naming_the_limit()
    {
        var decision = When.As(Posters.Customer, Owing120, Start(900_000m, PaymentMethod.Transfer));

        decision.ThenRejected("payment-above-amount-due", "amount");
        decision.Rejection!.Message.Should().Contain("620");
    }

    [Fact]
    public void Given_customer_with_a_pending_payment_When_paying_again_Then_the_pending_one_counts_against_what_is_owed()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m));

        StartPayment.MostACustomerMayPay(account, Allowance).Should().Be(500m);
        When.As(Posters.Customer, account, Start(500.01m, PaymentMethod.Card) with { PaymentId = Ids.Payment2 })
            .ThenRejected("payment-above-amount-due", "amount");
    }

    [Fact]
    public void Given_ten_payments_waiting_to_clear_When_the_customer_starts_another_Then_refused_but_the_desk_may()
    {
        var history = new List<object> { Events.Opened(), Events.Charged(Ids.Charge, 5_000m) };
        history.AddRange(Enumerable.Range(1, StartPayment.MostPendingForACustomer)
            .Select(i => new PaymentInitiated(Ids.Account, Guid.NewGuid(), 1m, PaymentMethod.Card, null, $"cs_test_{i}", At.Earlier)));
        var account = Given.Account(history.ToArray());

        When.As(Posters.Customer, account, Start(1m, PaymentMethod.Card)).ThenRejected("too-many-pending-payments");
        When.As(Posters.Csr, account, Start(1m, PaymentMethod.Check, "CHK-1")).Events.Should().ContainSingle();
    }

    [Fact]
    public void Given_customer_When_paying_cash_Then_refused_cash_is_taken_at_the_desk()
    {
        When.As(Posters.Customer, Owing120, Start(20m, PaymentMethod.Cash)).ThenRejected("cash-only-at-desk", "method");
    }

    [Fact]
    public void Given_customer_When_sending_card_details_Then_refused_the_processor_reports_them()
    {
        When.As(Posters.Customer, Owing120, Start(20m, PaymentMethod.Card, brand: "Visa", last4: "4242"))
            .ThenRejected("card-details-not-taken", "cardBrand");
    }

    [Fact]
    public void Given_desk_When_taking_cash_Then_settled_at_once()
    {
        When.As(Posters.Csr, Owing120, Start(120m, PaymentMethod.Cash)).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Cash, null, null, null, At.Now));
    }

    [Fact]
    public void Given_desk_When_the_terminal_authorised_a_card_Then_settled_at_once_with_brand_and_last_four()
    {
        When.As(Posters.Csr, Owing120, Start(120m, PaymentMethod.Card, brand: " Visa ", last4: "4242") with { ProcessorReference = null })
            .ThenEvents(new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, "Visa", "4242", At.Now));
    }

    [Fact]
    public void Given_desk_When_a_check_is_received_Then_pending_until_the_bank_confirms_and_no_amount_due_limit()
    {
        When.As(Posters.Csr, Owing120, Start(5_000m, PaymentMethod.Check, "CHK-0042")).ThenEvents(
            new PaymentInitiated(Ids.Account, Ids.Payment, 5_000m, PaymentMethod.Check, "CHK-0042", null, At.Now));
    }

    [Fact]
    public void Given_closed_account_When_starting_a_payment_Then_refused_account_closed()
    {
        When.As(Posters.Customer, Given.Account(Events.Opened(), Events.Closed()), Start(10m, PaymentMethod.Transfer))
            .ThenRejected("account-closed");
    }

    [Fact]
    public void Given_pending_card_payment_When_the_processor_confirms_Then_payment_received_with_card_details_and_balance_falls()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m, PaymentMethod.Card, null));

        var decision = When.As(Posters.Customer, account, new SettlePayment(Ids.Account, Ids.Payment, 120m, " Visa ", "4242", SettlePayment.ProcessorSource));

        decision.ThenEvents(new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, "Visa", "4242", At.Now));
        var after = decision.Events.Aggregate(account, (a, e) => Account.Evolve(a, e)!);
        after.Balance.Should().Be(0m);
        after.PendingPayments.Should().BeEmpty();
    }

    [Fact]
    public void Given_pending_card_payment_at_the_processor_When_anyone_else_confirms_it_Then_refused()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m, PaymentMethod.Card, null));

        When.As(Posters.Manager, account, new SettlePayment(Ids.Account, Ids.Payment, 120m, null, null, "bank", "NTRY-1"))
            .ThenRejected("settled-by-processor", "paymentId");
    }

    [Fact]
    public void Given_pending_card_payment_When_the_processor_confirms_with_its_reference_Then_the_confirmation_is_recorded_before_the_money()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m, PaymentMethod.Card, null));

        When.As(Posters.Customer, account, new SettlePayment(Ids.Account, Ids.Payment, 120m, "visa", "4242", "stripe", "pi_test_1")).ThenEvents(
            new PaymentConfirmed(Ids.Account, Ids.Payment, "stripe", "pi_test_1", At.Now),
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Card, null, "visa", "4242", At.Now));
    }

    [Theory]
    [InlineData(PaymentMethod.Cash, true)]
    [InlineData(PaymentMethod.Card, true)]
    [InlineData(PaymentMethod.Check, false)]
    [InlineData(PaymentMethod.Transfer, false)]
    public void Only_money_the_desk_holds_settles_at_once(PaymentMethod method, bool atDesk)
    {
        Start(1m, method).SettlesAtOnce(Posters.Csr).Should().Be(atDesk);
        Start(1m, method).SettlesAtOnce(Posters.Customer).Should().BeFalse("a customer's money always has to clear");
    }

    [Fact]
    public void Given_pending_transfer_When_the_bank_confirms_on_a_closed_account_Then_still_recorded()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m), Events.Closed());

        When.As(Posters.Csr, account, new SettlePayment(Ids.Account, Ids.Payment, 120m, null, null)).ThenEvents(
            new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Transfer, "INV-7", null, null, At.Now));
    }

    [Fact]
    public void Given_settled_payment_When_the_confirmation_arrives_again_Then_nothing_changes()
    {
        var settled = new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Transfer, "INV-7", null, null, At.Earlier);
        object[] history = [Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m), settled];

        When.As(Posters.Csr, Given.Account(history), new SettlePayment(Ids.Account, Ids.Payment, 120m, null, null), Given.Entry(Ids.Payment, history))
            .ThenEvents();
    }

    [Fact]
    public void Given_no_such_payment_When_a_confirmation_arrives_Then_refused_payment_unknown()
    {
        When.As(Posters.Csr, Owing120, new SettlePayment(Ids.Account, Ids.Payment, 120m, null, null))
            .ThenRejected("payment-unknown", "paymentId");
    }

    [Fact]
    public void Given_pending_payment_When_the_bank_confirms_another_amount_Then_refused_and_still_pending()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m));

        When.As(Posters.Csr, account, new SettlePayment(Ids.Account, Ids.Payment, 119.99m, null, null))
            .ThenRejected("settled-amount-differs", "amount");
    }

    [Fact]
    public void Given_pending_card_payment_When_declined_Then_payment_failed_with_reason_and_no_longer_pending()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 120m), Initiated(120m, PaymentMethod.Card, null));

        var decision = When.As(Posters.Customer, account, new FailPayment(Ids.Account, Ids.Payment, " insufficient_funds ", "Your card has insufficient funds."));

        decision.ThenEvents(new PaymentFailed(Ids.Account, Ids.Payment, "insufficient_funds", "Your card has insufficient funds.", At.Now));
        var after = decision.Events.Aggregate(account, (a, e) => Account.Evolve(a, e)!);
        after.Balance.Should().Be(120m);
        after.PendingPayments.Should().BeEmpty();
    }

    [Fact]
    public void Given_failed_payment_When_the_failure_arrives_again_Then_nothing_changes()
    {
        var account = Given.Account(Events.Opened(), Initiated(120m), new PaymentFailed(Ids.Account, Ids.Payment, "card_declined", "Declined.", At.Earlier));

        When.As(Posters.Customer, account, new FailPayment(Ids.Account, Ids.Payment, "card_declined", "Declined.")).ThenEvents();
    }

    [Fact]
    public void Given_settled_payment_When_a_failure_arrives_Then_conflict_payment_settled()
    {
        var settled = new PaymentReceived(Ids.Account, Ids.Payment, 120m, PaymentMethod.Transfer, "INV-7", null, null, At.Earlier);
        object[] history = [Events.Opened(), Initiated(120m), settled];

        When.As(Posters.Csr, Given.Account(history), new FailPayment(Ids.Account, Ids.Payment, "R01", "Insufficient funds."), Given.Entry(Ids.Payment, history))
            .ThenConflict("payment-settled", Ids.Payment);
    }
}
