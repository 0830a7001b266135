using Ledger.Domain.Accounts;

namespace Ledger.Domain.Tests.Accounts;

public class EntryEvolveTests
{
    /// <summary>Folds with <see cref="Entry.Evolve"/> alone, so its own filtering of other entries' events is what is tested.</summary>
    private static Entry? Fold(params object[] events) => events.Aggregate((Entry?)null, Entry.Evolve);

    [Fact]
    public void Given_a_charge_posted_Then_an_entry_with_everything_still_correctable()
    {
        Fold(Events.Charged(Ids.Charge, 100m)).Should().BeEquivalentTo(new Entry
        {
            Id = Ids.Charge, AccountId = Ids.Account, Kind = EntryKind.Charge, Date = At.Earlier, OriginalAmount = 100m,
            Remaining = 100m, Description = "Fibre 1 Gbit", Category = "internet", Corrections = [], Dispute = null,
        }, options => options.ComparingByMembers<Entry>());
    }

    [Fact]
    public void Given_a_card_payment_Then_described_by_brand_and_last_four_only()
    {
        Fold(Events.PaidByCard(Ids.Payment, 60m)).Should().BeEquivalentTo(new
        {
            Kind = EntryKind.Payment, Remaining = 60m, Description = "Card payment (Visa ending 4242)", Category = "payment",
        });
    }

    [Fact]
    public void Given_a_check_payment_Then_described_by_method_and_reference()
    {
        Fold(Events.Paid(Ids.Payment, 60m))!.Description.Should().Be("Check payment CHK-0042");
    }

    [Fact]
    public void Given_a_transfer_without_reference_Then_described_by_method_alone()
    {
        Fold(Events.Paid(Ids.Payment, 60m) with { Method = PaymentMethod.Transfer, Reference = null })!
            .Description.Should().Be("Transfer payment");
    }

    [Fact]
    public void Given_a_credit_issued_Then_described_by_reason_and_categorised_by_reason_code()
    {
        Fold(Events.Credited(Ids.Credit, 10m)).Should().BeEquivalentTo(new
        {
            Kind = EntryKind.Credit, Remaining = 10m, Description = "Outage on 3 March", Category = "goodwill",
        });
    }

    [Fact]
    public void Given_corrections_and_a_reversal_Then_remaining_excludes_only_unreversed_corrections()
    {
        var entry = Fold(
            Events.Charged(Ids.Charge, 100m),
            Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 30m, -30m),
            Events.Corrected(Ids.Correction2, Ids.Charge, EntryKind.Charge, 20m, -20m),
            Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 30m, 30m))!;

        entry.OriginalAmount.Should().Be(100m);
        entry.Remaining.Should().Be(80m);
        entry.Corrections.Should().Equal(
            new CorrectionLink(Ids.Correction, 30m, "Billed twice", At.Earlier, Ids.Reversal),
            new CorrectionLink(Ids.Correction2, 20m, "Billed twice", At.Earlier, null));
    }

    [Fact]
    public void Given_events_of_other_entries_Then_the_entry_is_unchanged()
    {
        var entry = Fold(
            Events.Charged(Ids.Charge, 100m),
            Events.Charged(Ids.Charge2, 5m),
            Events.Corrected(Ids.Correction, Ids.Charge2, EntryKind.Charge, 5m, -5m),
            Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge2, 5m, 5m),
            Events.Disputed(Ids.Dispute, Ids.Charge2),
            Events.Resolved(Ids.Dispute, Ids.Charge2))!;

        entry.Should().BeEquivalentTo(Fold(Events.Charged(Ids.Charge, 100m)), options => options.ComparingByMembers<Entry>());
    }

    [Fact]
    public void Given_a_charge_disputed_Then_an_open_dispute_link()
    {
        Fold(Events.Charged(Ids.Charge, 100m), Events.Disputed(Ids.Dispute, Ids.Charge))!
            .Dispute.Should().Be(new DisputeLink(Ids.Dispute, DisputeStatus.Open, "Never ordered", At.Earlier, null));
    }

    [Theory]
    [InlineData(DisputeOutcome.Upheld, DisputeStatus.Upheld)]
    [InlineData(DisputeOutcome.Rejected, DisputeStatus.Rejected)]
    public void Given_a_dispute_resolved_Then_the_link_carries_the_outcome_and_note(DisputeOutcome outcome, DisputeStatus status)
    {
        Fold(Events.Charged(Ids.Charge, 100m), Events.Disputed(Ids.Dispute, Ids.Charge), Events.Resolved(Ids.Dispute, Ids.Charge, outcome))!
            .Dispute.Should().Be(new DisputeLink(Ids.Dispute, status, "Never ordered", At.Earlier, "Refund agreed"));
    }

    [Fact]
    public void Given_no_entry_yet_When_a_correction_is_folded_Then_still_no_entry()
    {
        Fold(Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 5m, -5m)).Should().BeNull();
    }
}
