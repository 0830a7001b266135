using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

public class NextStatementTests
{
    /// <summary>The first bill (v4): a 100 charge and a 30 check payment, closing at 70.</summary>
    private static readonly IReadOnlyList<RecordedEvent> FirstBilled = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 100m)),
            (At.Earlier, Events.Paid(Ids.Payment, 30m)))
        .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt);

    [Fact]
    public void Given_a_first_bill_When_the_next_is_composed_Then_it_opens_at_the_previous_closing_and_earlier_entries_corrected_are_adjustments()
    {
        var stream = FirstBilled
            .Then(Billing.InApril, Events.Charged(Ids.Charge2, 40m) with { Description = "Mobile plan", PostedAt = Billing.InApril })
            .Then(Billing.InApril, Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 30m, -30m) with { CorrectedAt = Billing.InApril })
            .Then(Billing.InApril, Events.Corrected(Ids.Correction2, Ids.Charge2, EntryKind.Charge, 10m, -10m) with { CorrectedAt = Billing.InApril })
            .Then(Billing.InApril, Events.Corrected(Ids.Correction3, Ids.Payment, EntryKind.Payment, 30m, 30m)
                with { Reason = "Check bounced", CorrectedAt = Billing.InApril })
            .Then(Billing.InApril, Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 30m, 30m) with { ReversedAt = Billing.InApril });

        Composing.Compose(stream, Billing.NextCutoff, Billing.NextStatement).ThenStatement(Billing.Next with
        {
            OpeningBalance = 70m,
            Lines =
            [
                new StatementLine(Ids.Charge2, "charge", Billing.InApril, "Mobile plan", 40m, false),
                new StatementLine(Ids.Correction, "correction", Billing.InApril, "Correction of Fibre 1 Gbit: Billed twice", -30m, true),
                new StatementLine(Ids.Correction2, "correction", Billing.InApril, "Correction of Mobile plan: Billed twice", -10m, false),
                new StatementLine(Ids.Correction3, "correction", Billing.InApril, "Correction of Payment: Check bounced", 30m, true),
                new StatementLine(Ids.Reversal, "correction-reversal", Billing.InApril, "Reversal of a correction: Correction was wrong", 30m, true),
            ],
            ClosingBalance = 130m, AmountDue = 130m, CoveredThroughVersion = 9,
        });
    }

    [Fact]
    public void Given_events_committed_between_a_cutoff_and_its_bill_When_billed_twice_Then_each_entry_is_billed_exactly_once()
    {
        var stream = Recorded.Stream(
                (At.Opened, Events.Opened()),
                (At.Earlier, Events.Charged(Ids.Charge, 100m)),
                (At.Earlier, Events.Paid(Ids.Payment, 30m)),
                (Billing.Cutoff.AddMinutes(1), Events.Credited(Ids.Credit, 5m, Billing.Cutoff.AddMinutes(-1))))  // committed during the run
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt)
            .Then(Billing.InApril, Events.Charged(Ids.Charge2, 40m))
            .Then(Billing.NextCutoff.AddMinutes(1), Events.Paid(Ids.Payment2, 10m))
            .Issue(Billing.NextCutoff, Billing.NextStatement, Billing.NextIssuedAt)
            .Issue(Billing.ThirdCutoff, Billing.ThirdStatement, Billing.ThirdCutoff.AddMinutes(5));

        var first = stream.Bill(Billing.Statement);
        var next = stream.Bill(Billing.NextStatement);
        var third = stream.Bill(Billing.ThirdStatement);
        first.Lines.Select(l => l.EntryId).Should().Equal(Ids.Charge, Ids.Payment);
        next.Lines.Select(l => l.EntryId).Should().Equal(Ids.Credit, Ids.Charge2);
        third.Lines.Select(l => l.EntryId).Should().Equal(Ids.Payment2);
        stream.BilledEntries().Should().Equal(stream.Postings());
        (first.CoveredThroughVersion, next.CoveredThroughVersion, third.CoveredThroughVersion).Should().Be((3L, 6L, 8L));
        (first.ClosingBalance, next.OpeningBalance, next.ClosingBalance, third.OpeningBalance, third.ClosingBalance)
            .Should().Be((70m, 70m, 105m, 105m, 95m));
        third.ClosingBalance.Should().Be(Given.Account(stream.Select(e => e.Data).ToArray()).Balance);
    }

    [Fact]
    public void Given_a_period_already_billed_When_composed_again_up_to_its_end_or_earlier_Then_nothing_even_with_new_activity()
    {
        var stream = FirstBilled.Then(Billing.InApril, Events.Charged(Ids.Charge2, 40m));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).Should().BeNull();
        Composing.Compose(stream, Billing.Cutoff.AddDays(-3), Composing.StatementIdFor(Ids.Account, Billing.Cutoff.AddDays(-3))).Should().BeNull();
    }

    [Fact]
    public void Given_no_activity_since_a_bill_that_closed_at_zero_When_composed_Then_nothing()
    {
        var stream = Recorded.Stream(
                (At.Opened, Events.Opened()),
                (At.Earlier, Events.Charged(Ids.Charge, 50m)),
                (At.Earlier, Events.Paid(Ids.Payment, 50m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt)
            .Then(Billing.InApril, Events.ProfileChanged("Ada King", Events.Home))          // no line, no money
            .Then(Billing.InApril, Events.Disputed(Ids.Dispute, Ids.Charge));

        stream.Bill(Billing.Statement).ClosingBalance.Should().Be(0m);
        Composing.Compose(stream, Billing.NextCutoff, Billing.NextStatement).Should().BeNull();
    }

    [Fact]
    public void Given_no_activity_since_a_bill_that_left_a_balance_When_composed_Then_a_bill_without_lines_carrying_the_balance()
    {
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 50m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt);

        Composing.Compose(stream, Billing.NextCutoff, Billing.NextStatement).ThenStatement(Billing.Next with
        {
            OpeningBalance = 50m, Lines = [], ClosingBalance = 50m, AmountDue = 50m, CoveredThroughVersion = 3, // the first bill's own event
        });
    }

    [Fact]
    public void Given_no_activity_since_a_bill_that_left_a_credit_balance_When_composed_Then_a_bill_without_lines_and_nothing_due()
    {
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Credited(Ids.Credit, 15m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt);

        Composing.Compose(stream, Billing.NextCutoff, Billing.NextStatement).ThenStatement(Billing.Next with
        {
            OpeningBalance = -15m, Lines = [], ClosingBalance = -15m, AmountDue = 0m, CoveredThroughVersion = 3,
        });
    }
}
