using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

public class StatementIssuedTests
{
    [Fact]
    public void Given_an_account_and_a_cutoff_When_the_statement_id_is_derived_twice_Then_the_same_id()
    {
        var id = Composing.StatementIdFor(Ids.Account, Billing.Cutoff);

        id.Should().NotBe(Guid.Empty);
        Composing.StatementIdFor(Ids.Account, Billing.Cutoff).Should().Be(id);
    }

    [Fact]
    public void Given_the_same_cutoff_written_in_another_offset_When_the_statement_id_is_derived_Then_the_same_id()
    {
        Composing.StatementIdFor(Ids.Account, Billing.Cutoff.ToOffset(TimeSpan.FromHours(2)))
            .Should().Be(Composing.StatementIdFor(Ids.Account, Billing.Cutoff));
    }

    [Fact]
    public void Given_another_cutoff_When_the_statement_id_is_derived_Then_another_id()
    {
        Composing.StatementIdFor(Ids.Account, Billing.NextCutoff).Should().NotBe(Composing.StatementIdFor(Ids.Account, Billing.Cutoff));
        Composing.StatementIdFor(Ids.Account, Billing.Cutoff.AddTicks(1)).Should().NotBe(Composing.StatementIdFor(Ids.Account, Billing.Cutoff));
    }

    [Fact]
    public void Given_another_account_When_the_statement_id_is_derived_Then_another_id()
    {
        Composing.StatementIdFor(Ids.OtherAccount, Billing.Cutoff).Should().NotBe(Composing.StatementIdFor(Ids.Account, Billing.Cutoff));
    }

    [Fact]
    public void Given_a_statement_issued_When_evolved_Then_billed_balance_last_statement_and_its_period_end_without_touching_the_balance()
    {
        var bill = Billing.First with { ClosingBalance = 100m, AmountDue = 100m, CoveredThroughVersion = 2 };

        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 100m), Recorded.Issued(bill, Billing.IssuedAt),
            Events.Charged(Ids.Charge2, 40m));

        (account.BilledBalance, account.LastStatementId, account.LastStatementPeriodEnd, account.Balance, account.EntryCount)
            .Should().Be((100m, Billing.Statement, Billing.Cutoff, 140m, 2));
    }

    [Fact]
    public void Given_a_second_statement_issued_When_evolved_Then_it_replaces_the_first()
    {
        var first = Billing.First with { ClosingBalance = 100m, AmountDue = 100m, CoveredThroughVersion = 2 };
        var next = Billing.Next with { OpeningBalance = 100m, ClosingBalance = -20m, CoveredThroughVersion = 5 };

        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 100m), Recorded.Issued(first, Billing.IssuedAt),
            Events.Paid(Ids.Payment, 120m), Recorded.Issued(next, Billing.NextIssuedAt));

        (account.BilledBalance, account.LastStatementId, account.LastStatementPeriodEnd, account.Balance)
            .Should().Be((-20m, Billing.NextStatement, Billing.NextCutoff, -20m));
    }

    [Fact]
    public void Given_no_statement_When_evolved_Then_nothing_billed_yet()
    {
        var account = Given.Account(Events.Opened(), Events.Charged(Ids.Charge, 100m));

        (account.BilledBalance, account.LastStatementId, account.LastStatementPeriodEnd).Should().Be((0m, (Guid?)null, (DateTimeOffset?)null));
    }

    [Fact]
    public void Given_a_statement_reprinted_When_evolved_Then_the_account_is_unchanged()
    {
        object[] history = [Events.Opened(), Events.Charged(Ids.Charge, 100m),
            Recorded.Issued(Billing.First with { ClosingBalance = 100m, AmountDue = 100m }, Billing.IssuedAt)];

        Given.Account([.. history, new StatementReprinted(Ids.Account, Billing.Statement, "sha", Billing.InApril)])
            .Should().BeEquivalentTo(Given.Account(history), options => options.ComparingByMembers<Account>().ComparingRecordsByMembers());
    }
}
