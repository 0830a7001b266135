using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Disputing;

namespace Ledger.Domain.Tests.Accounts.Disputing;

public class ResolvingDisputesTests
{
    private static readonly object[] History =
        [Events.Opened(), Events.Charged(Ids.Charge, 100m), Events.Charged(Ids.Charge2, 20m), Events.Disputed(Ids.Dispute, Ids.Charge)];

    private static ResolveDispute Resolve(DisputeOutcome outcome = DisputeOutcome.Upheld, Guid? disputeId = null, Guid? entryId = null) =>
        new(Ids.Account, entryId ?? Ids.Charge, disputeId ?? Ids.Dispute, outcome, "  Refund agreed ");

    [Theory]
    [InlineData(DisputeOutcome.Upheld)]
    [InlineData(DisputeOutcome.Rejected)]
    public void Given_an_open_dispute_When_resolved_Then_dispute_resolved_with_outcome_and_trimmed_note(DisputeOutcome outcome)
    {
        When.Resolve(Given.Account(History), Given.Entry(Ids.Charge, History), Resolve(outcome)).ThenEvents(
            new DisputeResolved(Ids.Account, Ids.Dispute, Ids.Charge, outcome, "Refund agreed", At.Now));
    }

    [Theory]
    [InlineData(DisputeOutcome.Upheld, DisputeOutcome.Upheld)]
    [InlineData(DisputeOutcome.Rejected, DisputeOutcome.Upheld)]
    public void Given_a_resolved_dispute_When_resolved_again_Then_rejected_dispute_already_resolved(DisputeOutcome first, DisputeOutcome second)
    {
        object[] history = [.. History, Events.Resolved(Ids.Dispute, Ids.Charge, first)];

        When.Resolve(Given.Account(history), Given.Entry(Ids.Charge, history), Resolve(second)).ThenRejected("dispute-already-resolved");
    }

    [Fact]
    public void Given_an_open_dispute_When_another_dispute_id_resolved_Then_rejected_dispute_not_found()
    {
        When.Resolve(Given.Account(History), Given.Entry(Ids.Charge, History), Resolve(disputeId: Ids.Dispute2))
            .ThenRejected("dispute-not-found", "disputeId");
    }

    [Fact]
    public void Given_a_charge_never_disputed_When_resolved_Then_rejected_dispute_not_found()
    {
        When.Resolve(Given.Account(History), Given.Entry(Ids.Charge2, History), Resolve(entryId: Ids.Charge2))
            .ThenRejected("dispute-not-found", "disputeId");
    }

    [Fact]
    public void Given_no_such_entry_When_resolved_Then_rejected_dispute_not_found()
    {
        When.Resolve(Given.Account(History), null, Resolve()).ThenRejected("dispute-not-found", "disputeId");
    }

    [Fact]
    public void Given_a_dispute_on_another_accounts_charge_When_resolved_Then_rejected_dispute_not_found()
    {
        var foreign = Given.Entry(Ids.Charge2,
            Events.Charged(Ids.Charge2, 100m, Ids.OtherAccount),
            new ChargeDisputed(Ids.OtherAccount, Ids.Dispute2, Ids.Charge2, "Never ordered", At.Earlier));

        When.Resolve(Given.Account(History), foreign, Resolve(disputeId: Ids.Dispute2, entryId: Ids.Charge2))
            .ThenRejected("dispute-not-found", "disputeId");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Given_an_open_dispute_When_resolved_without_note_Then_rejected_required(string note)
    {
        When.Resolve(Given.Account(History), Given.Entry(Ids.Charge, History), Resolve() with { Note = note })
            .ThenRejected("required", "note");
    }

    [Fact]
    public void Given_an_open_dispute_When_resolved_with_note_over_500_characters_Then_rejected_too_long()
    {
        When.Resolve(Given.Account(History), Given.Entry(Ids.Charge, History), Resolve() with { Note = new string('n', 501) })
            .ThenRejected("too-long", "note");
    }
}
