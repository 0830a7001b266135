using Ledger.Domain.Accounts;
using Ledger.Domain.Collections;
using Ledger.Domain.Statements;
using Ledger.Domain.Tests.Statements;
using static Ledger.Domain.Tests.Collections.Dunning;

namespace Ledger.Domain.Tests.Collections;

public class PastDueTests
{
    private static PastDue? On(Account account, DateOnly day) => PastDue.On(account.Collections, day);

    [Fact]
    public void Given_bill_due_on_5_April_When_read_on_its_due_date_Then_nothing_is_past_due_and_the_next_day_all_of_it_is()
    {
        var account = Account(Billed());

        On(account, Billing.DueDate).Should().BeNull();
        On(account, Reminder).Should().Be(new PastDue(120m, Reminder, 1, Billing.Statement, Billing.DueDate, null));
        On(account, new DateOnly(2025, 5, 5))!.Days.Should().Be(30);
    }

    [Fact]
    public void Given_part_paid_after_the_bill_When_read_past_due_Then_the_rest_is_past_due()
    {
        On(Account(Billed(PaidOn(Billing.DueDate, 70m))), Reminder)!.Amount.Should().Be(50m);
        On(Account(Billed(PaidOn(Billing.DueDate, 120m))), Reminder).Should().BeNull();
        On(Account(Billed(Events.Credited(Ids.Credit, 120m))), Reminder).Should().BeNull("a credit pays a bill like a payment");
    }

    [Fact]
    public void Given_a_payment_committed_after_the_cutoff_but_before_the_bill_When_read_past_due_Then_it_pays_the_bill_it_is_not_on()
    {
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 120m)),
                (Billing.Cutoff.AddMinutes(2), PaidOn(new DateOnly(2025, 3, 15), 120m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt);

        stream.Bill(Billing.Statement).AmountDue.Should().Be(120m, "the payment came after the cut-off and is not on the bill");
        On(Account(stream), Reminder).Should().BeNull("yet it was paid before the bill was even issued");
    }

    [Fact]
    public void Given_a_payment_that_came_back_When_read_past_due_Then_it_is_owed_again()
    {
        var returned = new PaymentReversed(Ids.Account, Ids.Payment, Ids.Reversal, 120m, ReversalKind.Returned, "bank", "RET-1", "AC04", "Account closed",
            Dunning.On(Reminder));

        On(Account(Billed(PaidOn(Billing.DueDate, 120m), returned)), Reminder.AddDays(1))!.Amount.Should().Be(120m);
    }

    [Fact]
    public void Given_a_second_bill_while_the_first_is_unpaid_When_read_Then_it_counts_from_the_first_and_owes_the_second_once_due()
    {
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 120m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt)
            .Then(Billing.InApril, Events.Charged(Ids.Charge2, 30m) with { PostedAt = Billing.InApril })
            .Issue(Billing.NextCutoff, Billing.NextStatement, Billing.NextIssuedAt);
        var account = Account(stream);

        On(account, new DateOnly(2025, 5, 1)).Should().Be(new PastDue(120m, Reminder, 26, Billing.Statement, Billing.DueDate, null));
        On(account, Billing.NextDueDate.AddDays(1)).Should().Be(new PastDue(150m, Reminder, 32, Billing.Statement, Billing.DueDate, null));

        var firstPaid = account.Then(PaidOn(new DateOnly(2025, 5, 8), 120m));
        On(firstPaid, new DateOnly(2025, 5, 9)).Should().Be(new PastDue(30m, new DateOnly(2025, 5, 7), 3, Billing.NextStatement, Billing.NextDueDate, null),
            "with the first bill covered, the second is the oldest unpaid one");
    }
}
