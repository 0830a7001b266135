using Ledger.Domain.Accounts;

namespace Ledger.Domain.Tests.Accounts;

public class AccountEvolveTests
{
    private static readonly Account JustOpened = new()
    {
        Id = Ids.Account, AccountNumber = Ids.AccountNumber, CustomerId = "cust-42", HolderName = "Ada Lovelace", Currency = "USD",
        BillingDay = 15, Address = Events.Home, Status = AccountStatus.Open, OpenedAt = At.Opened,
    };

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

        account.Should().Be(JustOpened with
        {
            Balance = 100m, EntryCount = 5, OpenDisputes = 1, LastPaymentAt = At.Earlier, LastPaymentAmount = 40.50m,
        });
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
}
