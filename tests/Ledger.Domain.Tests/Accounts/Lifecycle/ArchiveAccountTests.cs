using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Lifecycle;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Refunding;

namespace Ledger.Domain.Tests.Accounts.Lifecycle;

/// <summary>Only an account nothing can still happen to moves to cold storage; once there, it takes no write at all.</summary>
public class ArchiveAccountTests
{
    private static readonly DateTimeOffset CutOff = At.Now;

    private static readonly object[] ClosedAndSettled =
        [Events.Opened(), Events.Charged(Ids.Charge, 80m), Events.Paid(Ids.Payment, 80m), Events.Closed()];

    private static Decision Archive(Account account, DateTimeOffset? closedBefore = null, string reason = " Closed before 2025 ") =>
        When.As(Posters.Csr, account, new ArchiveAccount(Ids.Account, closedBefore ?? CutOff, reason));

    [Fact]
    public void Given_closed_settled_account_When_archived_Then_archived_with_the_cut_off_and_trimmed_reason()
    {
        Archive(Given.Account(ClosedAndSettled)).ThenEvents(new AccountArchived(Ids.Account, "Closed before 2025", CutOff, At.Now));
    }

    [Fact]
    public void Given_archived_account_When_archived_again_Then_nothing_is_recorded()
    {
        var archived = Given.Account([.. ClosedAndSettled, new AccountArchived(Ids.Account, "once", CutOff, At.Now)]);
        Archive(archived).ThenEvents();
        archived.ArchivedAt.Should().Be(At.Now);
        archived.ClosedAt.Should().Be(At.Earlier);
    }

    [Fact]
    public void Given_open_or_suspended_account_When_archived_Then_rejected_account_not_closed()
    {
        Archive(Given.Account(Events.Opened())).ThenRejected("account-not-closed");
        Archive(Given.Account(Events.Opened(), Events.Suspended())).ThenRejected("account-not-closed");
    }

    [Fact]
    public void Given_account_closed_on_or_after_the_cut_off_When_archived_Then_rejected_closed_too_recently()
    {
        Archive(Given.Account(ClosedAndSettled), closedBefore: At.Earlier).ThenRejected("closed-too-recently");
        Archive(Given.Account(ClosedAndSettled), closedBefore: At.Earlier.AddTicks(1)).ThenEvents(
            new AccountArchived(Ids.Account, "Closed before 2025", At.Earlier.AddTicks(1), At.Now));
    }

    [Fact]
    public void Given_closed_account_with_money_under_way_When_archived_Then_rejected_with_what_is_still_open()
    {
        var pendingPayment = new PaymentInitiated(Ids.Account, Ids.Payment2, 10m, PaymentMethod.Transfer, "SEPA-1", null, At.Earlier);
        Archive(Given.Account([.. ClosedAndSettled, pendingPayment])).ThenRejected("payments-pending");
        var refund = new RefundIssued(Ids.Account, Guid.NewGuid(), 5m, RefundMethod.Transfer, null, "DE89370400440532013000", "RF-1", "Overpaid", At.Earlier, null);
        Archive(Given.Account([.. ClosedAndSettled, refund])).ThenRejected("refunds-pending");
    }

    [Fact]
    public void Given_a_blank_reason_When_archived_Then_rejected_required()
    {
        Archive(Given.Account(ClosedAndSettled), reason: "  ").ThenRejected("required", "reason");
    }

    [Fact]
    public void Given_archived_account_Then_every_other_command_is_refused_account_archived_and_archiving_again_is_not()
    {
        var archived = Given.Account([.. ClosedAndSettled, new AccountArchived(Ids.Account, "once", CutOff, At.Now)]);
        ArchiveAccount.Refusal(archived, new PostCharge(Ids.Account, Ids.Charge2, 1m, "Late", "telecom", null, null))!.Rule.Should().Be("account-archived");
        ArchiveAccount.Refusal(archived, new ChangeAccountStatus(Ids.Account, LifecycleAction.Reactivate, "Back"))!.Rule.Should().Be("account-archived");
        ArchiveAccount.Refusal(archived, new ArchiveAccount(Ids.Account, CutOff, "again")).Should().BeNull();
        ArchiveAccount.Refusal(Given.Account(ClosedAndSettled), new PostCharge(Ids.Account, Ids.Charge2, 1m, "Late", "telecom", null, null)).Should().BeNull();
        ArchiveAccount.Refusal(null, new PostCharge(Ids.Account, Ids.Charge2, 1m, "Late", "telecom", null, null)).Should().BeNull();
    }
}
