using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Disputing;

namespace Ledger.Domain.Tests.Accounts.Disputing;

public class DisputingTests
{
    private static readonly object[] History =
        [Events.Opened(), Events.Charged(Ids.Charge, 100m), Events.Paid(Ids.Payment, 60m), Events.Credited(Ids.Credit, 10m)];

    private static DisputeCharge Dispute(Guid entryId, Guid? disputeId = null) =>
        new(Ids.Account, disputeId ?? Ids.Dispute, entryId, "  Never ordered ");

    [Fact]
    public void Given_a_charge_When_disputed_Then_charge_disputed_with_trimmed_reason()
    {
        When.Dispute(Given.Account(History), Given.Entry(Ids.Charge, History), Dispute(Ids.Charge)).ThenEvents(
            new ChargeDisputed(Ids.Account, Ids.Dispute, Ids.Charge, "Never ordered", At.Now));
    }

    [Fact]
    public void Given_a_charge_on_a_suspended_account_When_disputed_Then_charge_disputed()
    {
        object[] history = [.. History, Events.Suspended()];

        When.Dispute(Given.Account(history), Given.Entry(Ids.Charge, history), Dispute(Ids.Charge)).ThenEvents(
            new ChargeDisputed(Ids.Account, Ids.Dispute, Ids.Charge, "Never ordered", At.Now));
    }

    [Fact]
    public void Given_a_payment_When_disputed_Then_rejected_only_charges_can_be_disputed()
    {
        When.Dispute(Given.Account(History), Given.Entry(Ids.Payment, History), Dispute(Ids.Payment))
            .ThenRejected("only-charges-can-be-disputed", "entryId");
    }

    [Fact]
    public void Given_a_credit_When_disputed_Then_rejected_only_charges_can_be_disputed()
    {
        When.Dispute(Given.Account(History), Given.Entry(Ids.Credit, History), Dispute(Ids.Credit))
            .ThenRejected("only-charges-can-be-disputed", "entryId");
    }

    [Fact]
    public void Given_a_charge_with_an_open_dispute_When_disputed_again_Then_rejected_charge_already_disputed()
    {
        object[] history = [.. History, Events.Disputed(Ids.Dispute, Ids.Charge)];

        When.Dispute(Given.Account(history), Given.Entry(Ids.Charge, history), Dispute(Ids.Charge, Ids.Dispute2))
            .ThenRejected("charge-already-disputed", "entryId");
    }

    [Fact]
    public void Given_a_charge_whose_dispute_was_resolved_When_disputed_again_Then_charge_disputed()
    {
        object[] history = [.. History, Events.Disputed(Ids.Dispute, Ids.Charge), Events.Resolved(Ids.Dispute, Ids.Charge, DisputeOutcome.Rejected)];

        When.Dispute(Given.Account(history), Given.Entry(Ids.Charge, history), Dispute(Ids.Charge, Ids.Dispute2)).ThenEvents(
            new ChargeDisputed(Ids.Account, Ids.Dispute2, Ids.Charge, "Never ordered", At.Now));
    }

    [Fact]
    public void Given_no_such_entry_When_disputed_Then_rejected_entry_not_found()
    {
        When.Dispute(Given.Account(History), null, Dispute(Ids.Charge2)).ThenRejected("entry-not-found", "entryId");
    }

    [Fact]
    public void Given_a_charge_of_another_account_When_disputed_Then_rejected_entry_not_found()
    {
        var foreign = Given.Entry(Ids.Charge2, Events.Charged(Ids.Charge2, 100m, Ids.OtherAccount));

        When.Dispute(Given.Account(History), foreign, Dispute(Ids.Charge2)).ThenRejected("entry-not-found", "entryId");
    }

    [Fact]
    public void Given_closed_account_When_charge_disputed_Then_rejected_account_closed()
    {
        object[] history = [Events.Opened(), Events.Charged(Ids.Charge, 100m), Events.Paid(Ids.Payment, 100m), Events.Closed()];

        When.Dispute(Given.Account(history), Given.Entry(Ids.Charge, history), Dispute(Ids.Charge)).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_charge_When_disputed_without_reason_Then_rejected_required(string reason)
    {
        When.Dispute(Given.Account(History), Given.Entry(Ids.Charge, History), Dispute(Ids.Charge) with { Reason = reason })
            .ThenRejected("required", "reason");
    }
}
