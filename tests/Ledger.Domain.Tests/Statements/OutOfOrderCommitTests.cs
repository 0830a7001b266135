using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

/// <summary>Commit timestamps of racing writers can run against version order; no entry may fall between two bills.</summary>
public class OutOfOrderCommitTests
{
    [Fact]
    public void Given_a_version_recorded_after_the_cutoff_before_one_recorded_before_it_When_two_bills_are_composed_Then_every_entry_is_billed_once()
    {
        var stream = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (Billing.Cutoff.AddMilliseconds(2), Events.Charged(Ids.Charge, 70m)),
            (Billing.Cutoff.AddMilliseconds(-1), Events.Paid(Ids.Payment, 20m)));

        var first = Composing.Compose(stream, Billing.Cutoff, Billing.Statement)!;
        first.Lines.Should().BeEmpty("the run of versions stops at the first one committed after the cut-off");
        first.CoveredThroughVersion.Should().Be(1);

        var next = Composing.Compose(stream.Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt), Billing.NextCutoff, Billing.NextStatement)!;
        next.Lines.Select(l => l.EntryId).Should().Equal(Ids.Charge, Ids.Payment);
        next.ClosingBalance.Should().Be(50m);
    }
}
