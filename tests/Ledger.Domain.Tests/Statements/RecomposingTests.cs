using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

public class RecomposingTests
{
    /// <summary>
    /// Two bills, each followed by what reprints and later postings append: v5 the first bill, v10 the second.
    /// Versions: 1 opened, 2 charge, 3 card payment, 4 credit committed during the first run, 5 first bill, 6 correction of the
    /// billed charge, 7 reprint, 8 reversal, 9 charge, 10 second bill, 11 reprint, 12 correction, 13 credit.
    /// </summary>
    private static readonly IReadOnlyList<RecordedEvent> History = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 100m)),
            (At.Earlier, Events.PaidByCard(Ids.Payment, 30m)),
            (Billing.Cutoff.AddMinutes(1), Events.Credited(Ids.Credit, 5m)))
        .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt)
        .Then(Billing.InApril, Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 20m, -20m))
        .Then(Billing.InApril, new StatementReprinted(Ids.Account, Billing.Statement, $"sha-of-{Billing.Statement}", Billing.InApril))
        .Then(Billing.InApril, Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 20m, 20m))
        .Then(Billing.InApril, Events.Charged(Ids.Charge2, 40m))
        .Issue(Billing.NextCutoff, Billing.NextStatement, Billing.NextIssuedAt)
        .Then(Billing.NextIssuedAt.AddDays(1), new StatementReprinted(Ids.Account, Billing.NextStatement, $"sha-of-{Billing.NextStatement}",
            Billing.NextIssuedAt.AddDays(1)))
        .Then(Billing.NextIssuedAt.AddDays(2), Events.Corrected(Ids.Correction2, Ids.Charge2, EntryKind.Charge, 40m, -40m))
        .Then(Billing.NextIssuedAt.AddDays(3), Events.Credited(Ids.Credit2, 7m));

    [Fact]
    public void Given_a_first_bill_followed_by_corrections_reprints_and_a_later_bill_When_recomposed_Then_exactly_the_recorded_content()
    {
        var recorded = History.Bill(Billing.Statement);

        Billing.Json(Composing.Recompose(History, Billing.Statement)).Should().Be(Billing.Json(recorded));
        recorded.Lines.Should().HaveCount(2); // the stream is what the test says it is: charge and payment, the credit came later
    }

    [Fact]
    public void Given_a_second_bill_followed_by_a_reprint_and_postings_When_recomposed_Then_exactly_the_recorded_content()
    {
        var recorded = History.Bill(Billing.NextStatement);

        Billing.Json(Composing.Recompose(History, Billing.NextStatement)).Should().Be(Billing.Json(recorded));
        recorded.Lines.Select(l => l.EntryId).Should().Equal(Ids.Credit, Ids.Correction, Ids.Reversal, Ids.Charge2);
    }

    [Fact]
    public void Given_a_bill_whose_recorded_closing_balance_was_altered_When_recomposed_Then_it_differs_from_the_record()
    {
        var tampered = History.Tampered(5, e => e is StatementIssued s ? s with { Content = s.Content with { ClosingBalance = 7m } } : e);

        var recomposed = Composing.Recompose(tampered, Billing.Statement);

        recomposed.Should().NotBeNull();
        recomposed!.ClosingBalance.Should().Be(70m);
        Billing.Json(recomposed).Should().NotBe(Billing.Json(tampered.Bill(Billing.Statement)));
    }

    [Fact]
    public void Given_a_billed_charge_whose_amount_was_altered_in_the_stream_When_recomposed_Then_it_differs_from_the_record()
    {
        var tampered = History.Tampered(2, e => e is ChargePosted c ? c with { Amount = 10m } : e);

        var recomposed = Composing.Recompose(tampered, Billing.Statement);

        recomposed.Should().NotBeNull();
        recomposed!.Lines[0].Amount.Should().Be(10m);
        Billing.Json(recomposed).Should().NotBe(Billing.Json(History.Bill(Billing.Statement)));
    }

    [Fact]
    public void Given_a_statement_id_not_in_the_stream_When_recomposed_Then_nothing()
    {
        Composing.Recompose(History, Billing.ThirdStatement).Should().BeNull();
    }

    [Fact]
    public void Given_a_stream_without_bills_When_recomposed_Then_nothing()
    {
        Composing.Recompose(Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 100m))), Billing.Statement)
            .Should().BeNull();
    }
}
