using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Lifecycle;

namespace Ledger.Domain.Tests.Accounts.Lifecycle;

public class AccountLifecycleTests
{
    private static ChangeAccountStatus Command(LifecycleAction action) => new(Ids.Account, action, "  Customer request ");

    private static readonly object[] SettledHistory =
        [Events.Opened(), Events.Charged(Ids.Charge, 80m), Events.Paid(Ids.Payment, 50m), Events.Credited(Ids.Credit, 30m)];

    [Fact]
    public void Given_open_account_When_suspend_Then_account_suspended_with_trimmed_reason()
    {
        When.ChangeStatus(Given.Account(Events.Opened()), Command(LifecycleAction.Suspend))
            .ThenEvents(new AccountSuspended(Ids.Account, "Customer request", At.Now));
    }

    [Fact]
    public void Given_suspended_account_When_suspend_Then_rejected_account_already_suspended()
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Suspended()), Command(LifecycleAction.Suspend))
            .ThenRejected("account-already-suspended");
    }

    [Fact]
    public void Given_suspended_account_When_reactivate_Then_account_reactivated()
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Suspended()), Command(LifecycleAction.Reactivate))
            .ThenEvents(new AccountReactivated(Ids.Account, "Customer request", At.Now));
    }

    [Fact]
    public void Given_open_account_When_reactivate_Then_rejected_account_not_suspended()
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Suspended(), Events.Reactivated()), Command(LifecycleAction.Reactivate))
            .ThenRejected("account-not-suspended");
    }

    [Fact]
    public void Given_open_account_with_zero_balance_When_close_Then_account_closed()
    {
        When.ChangeStatus(Given.Account(SettledHistory), Command(LifecycleAction.Close))
            .ThenEvents(new AccountClosed(Ids.Account, "Customer request", At.Now));
    }

    [Fact]
    public void Given_suspended_account_with_zero_balance_When_close_Then_account_closed()
    {
        When.ChangeStatus(Given.Account([.. SettledHistory, Events.Suspended()]), Command(LifecycleAction.Close))
            .ThenEvents(new AccountClosed(Ids.Account, "Customer request", At.Now));
    }

    [Fact]
    public void Given_customer_still_owes_When_close_Then_rejected_balance_not_zero()
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 0.01m)), Command(LifecycleAction.Close))
            .ThenRejected("balance-not-zero");
    }

    [Fact]
    public void Given_account_in_credit_When_close_Then_rejected_balance_not_zero()
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Credited(Ids.Credit, 5m)), Command(LifecycleAction.Close))
            .ThenRejected("balance-not-zero");
    }

    [Fact]
    public void Given_zero_balance_but_an_open_dispute_When_close_Then_rejected_open_disputes()
    {
        var account = Given.Account([.. SettledHistory, Events.Disputed(Ids.Dispute, Ids.Charge)]);

        When.ChangeStatus(account, Command(LifecycleAction.Close)).ThenRejected("open-disputes");
    }

    [Fact]
    public void Given_zero_balance_and_the_dispute_resolved_When_close_Then_account_closed()
    {
        var account = Given.Account(
            [.. SettledHistory, Events.Disputed(Ids.Dispute, Ids.Charge), Events.Resolved(Ids.Dispute, Ids.Charge, DisputeOutcome.Rejected)]);

        When.ChangeStatus(account, Command(LifecycleAction.Close)).ThenEvents(new AccountClosed(Ids.Account, "Customer request", At.Now));
    }

    [Theory]
    [InlineData(LifecycleAction.Suspend)]
    [InlineData(LifecycleAction.Reactivate)]
    [InlineData(LifecycleAction.Close)]
    public void Given_closed_account_When_any_status_change_Then_rejected_account_closed(LifecycleAction action)
    {
        When.ChangeStatus(Given.Account(Events.Opened(), Events.Closed()), Command(action)).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_open_account_When_status_change_without_reason_Then_rejected_required(string reason)
    {
        When.ChangeStatus(Given.Account(Events.Opened()), Command(LifecycleAction.Suspend) with { Reason = reason })
            .ThenRejected("required", "reason");
    }

    [Fact]
    public void Given_open_account_When_status_change_reason_over_500_characters_Then_rejected_too_long()
    {
        When.ChangeStatus(Given.Account(Events.Opened()), Command(LifecycleAction.Suspend) with { Reason = new string('r', 501) })
            .ThenRejected("too-long", "reason");
    }
}
