using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Statements;

public class FirstStatementTests
{
    private static readonly DateTimeOffset March10 = new(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Given_charges_payments_a_credit_and_a_correction_When_composed_Then_every_line_in_stream_order_from_a_zero_opening()
    {
        var stream = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 100m)),
            (At.Earlier, Events.Charged(Ids.Charge2, 50.50m) with { Description = "Mobile plan" }),
            (At.Earlier, Events.PaidByCard(Ids.Payment, 60m)),
            (March10, Events.Paid(Ids.Payment2, 20m)),
            (March10, Events.Credited(Ids.Credit, 10m)),
            (March10, Events.Corrected(Ids.Correction, Ids.Charge2, EntryKind.Charge, 20m, -20m)),
            (March10, Events.Disputed(Ids.Dispute, Ids.Charge)));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).ThenStatement(Billing.First with
        {
            Lines =
            [
                new StatementLine(Ids.Charge, "charge", At.Earlier, "Fibre 1 Gbit", 100m, false),
                new StatementLine(Ids.Charge2, "charge", At.Earlier, "Mobile plan", 50.50m, false),
                new StatementLine(Ids.Payment, "payment", At.Earlier, "Payment, Visa card ending 4242", -60m, false),
                new StatementLine(Ids.Payment2, "payment", At.Earlier, "Payment by check", -20m, false),
                new StatementLine(Ids.Credit, "credit", At.Earlier, "Credit: Outage on 3 March", -10m, false),
                new StatementLine(Ids.Correction, "correction", At.Earlier, "Correction of Mobile plan: Billed twice", -20m, false),
            ],
            ClosingBalance = 40.50m, AmountDue = 40.50m, CoveredThroughVersion = 8, // the dispute is covered, though it has no line
        });
    }

    [Fact]
    public void Given_payments_and_credits_beyond_the_charges_When_composed_Then_a_credit_balance_and_nothing_due()
    {
        var stream = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 30m)),
            (At.Earlier, Events.Paid(Ids.Payment, 45m) with { Method = PaymentMethod.Transfer, Reference = "TRF-7" }),
            (At.Earlier, Events.Credited(Ids.Credit, 5m)));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).ThenStatement(Billing.First with
        {
            Lines =
            [
                new StatementLine(Ids.Charge, "charge", At.Earlier, "Fibre 1 Gbit", 30m, false),
                new StatementLine(Ids.Payment, "payment", At.Earlier, "Payment by transfer", -45m, false),
                new StatementLine(Ids.Credit, "credit", At.Earlier, "Credit: Outage on 3 March", -5m, false),
            ],
            ClosingBalance = -20m, AmountDue = 0m, CoveredThroughVersion = 4,
        });
    }

    [Fact]
    public void Given_events_recorded_after_the_cutoff_When_composed_Then_they_are_left_out_whatever_their_business_time()
    {
        var stream = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 100m)),
            (Billing.Cutoff, Events.Charged(Ids.Charge2, 25m)),                      // committed at the cut-off itself: on this bill
            (Billing.Cutoff.AddTicks(1), Events.Paid(Ids.Payment, 100m)),            // backdated to 5 March, committed after: not
            (Billing.Cutoff.AddMinutes(1), Events.Credited(Ids.Credit, 5m, Billing.Cutoff.AddMinutes(-1))));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).ThenStatement(Billing.First with
        {
            Lines =
            [
                new StatementLine(Ids.Charge, "charge", At.Earlier, "Fibre 1 Gbit", 100m, false),
                new StatementLine(Ids.Charge2, "charge", At.Earlier, "Fibre 1 Gbit", 25m, false),
            ],
            ClosingBalance = 125m, AmountDue = 125m, CoveredThroughVersion = 3,
        });
    }

    [Fact]
    public void Given_the_holder_moved_before_and_renamed_after_the_cutoff_When_composed_Then_the_profile_as_of_the_cutoff()
    {
        var moved = new Address("3 Baker Street", "Flat B", "London", "NW1 6XE", "GB");
        var stream = Recorded.Stream(
            (At.Opened, Events.Opened()),
            (At.Earlier, Events.Charged(Ids.Charge, 100m)),
            (March10, Events.ProfileChanged("Ada Lovelace", moved)),
            (Billing.Cutoff.AddMinutes(1), Events.ProfileChanged("Ada King", moved)));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).ThenStatement(Billing.First with
        {
            Address = moved,
            Lines = [new StatementLine(Ids.Charge, "charge", At.Earlier, "Fibre 1 Gbit", 100m, false)],
            ClosingBalance = 100m, AmountDue = 100m, CoveredThroughVersion = 3,
        });
    }

    [Fact]
    public void Given_a_cutoff_with_an_offset_When_composed_Then_due_21_days_after_its_utc_date()
    {
        var cutoff = new DateTimeOffset(2025, 3, 15, 1, 0, 0, TimeSpan.FromHours(2)); // 14 March, 23:00 UTC
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 100m)));

        Composing.Compose(stream, cutoff, Billing.Statement)!.DueDate.Should().Be(new DateOnly(2025, 4, 4));
    }

    [Fact]
    public void Given_an_empty_stream_When_composed_Then_nothing()
    {
        Composing.Compose([], Billing.Cutoff, Billing.Statement).Should().BeNull();
    }

    [Fact]
    public void Given_a_stream_without_account_opened_When_composed_Then_nothing()
    {
        var stream = Recorded.Stream((At.Earlier, Events.Charged(Ids.Charge, 100m)), (At.Earlier, Events.Paid(Ids.Payment, 40m)));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).Should().BeNull();
    }

    /// <summary>
    /// A run with a past cut-off (a missed run, or an explicit one) considers every account due that day, including one
    /// opened since: there is nothing to bill for a period that ended before the account existed.
    /// </summary>
    [Fact]
    public void Given_an_account_opened_after_the_cutoff_When_composed_Then_nothing()
    {
        var stream = Recorded.Stream((Billing.Cutoff.AddDays(1), Events.Opened() with { OpenedAt = Billing.Cutoff.AddDays(1) }));

        Composing.Compose(stream, Billing.Cutoff, Billing.Statement).Should().BeNull();
    }
}
