using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;

namespace Ledger.Domain.Tests.Accounts.Correcting;

public class CorrectingTests
{
    private static readonly object[] History =
        [Events.Opened(), Events.Charged(Ids.Charge, 100m), Events.Paid(Ids.Payment, 60m), Events.Credited(Ids.Credit, 10m)];

    private static CorrectEntry Correct(Guid entryId, decimal amount, Guid? correctionId = null) =>
        new(Ids.Account, correctionId ?? Ids.Correction, entryId, amount, "  Billed twice ");

    [Fact]
    public void Given_a_charge_When_corrected_Then_entry_corrected_lowering_the_balance()
    {
        When.Correct(Given.Account(History), Given.Entry(Ids.Charge, History), Correct(Ids.Charge, 30m)).ThenEvents(
            new EntryCorrected(Ids.Account, Ids.Correction, Ids.Charge, EntryKind.Charge, 30m, -30m, "Billed twice", At.Now));
    }

    [Fact]
    public void Given_a_payment_When_corrected_as_bounced_Then_entry_corrected_raising_the_balance()
    {
        When.Correct(Given.Account(History), Given.Entry(Ids.Payment, History), Correct(Ids.Payment, 60m)).ThenEvents(
            new EntryCorrected(Ids.Account, Ids.Correction, Ids.Payment, EntryKind.Payment, 60m, 60m, "Billed twice", At.Now));
    }

    [Fact]
    public void Given_a_credit_When_corrected_Then_entry_corrected_raising_the_balance()
    {
        When.Correct(Given.Account(History), Given.Entry(Ids.Credit, History), Correct(Ids.Credit, 10m)).ThenEvents(
            new EntryCorrected(Ids.Account, Ids.Correction, Ids.Credit, EntryKind.Credit, 10m, 10m, "Billed twice", At.Now));
    }

    [Fact]
    public void Given_no_such_entry_When_corrected_Then_rejected_entry_not_found()
    {
        When.Correct(Given.Account(History), null, Correct(Ids.Charge2, 1m)).ThenRejected("entry-not-found", "entryId");
    }

    [Fact]
    public void Given_an_entry_of_another_account_When_corrected_Then_rejected_entry_not_found()
    {
        var foreign = Given.Entry(Ids.Charge2, Events.Charged(Ids.Charge2, 100m, Ids.OtherAccount));

        When.Correct(Given.Account(History), foreign, Correct(Ids.Charge2, 1m)).ThenRejected("entry-not-found", "entryId");
    }

    [Fact]
    public void Given_a_charge_When_corrected_by_more_than_it_is_Then_rejected_correction_exceeds_remaining()
    {
        When.Correct(Given.Account(History), Given.Entry(Ids.Charge, History), Correct(Ids.Charge, 100.01m))
            .ThenRejected("correction-exceeds-remaining", "amount");
    }

    [Fact]
    public void Given_a_charge_partly_corrected_When_corrected_by_exactly_what_remains_Then_entry_corrected()
    {
        object[] history = [.. History, Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 40m, -40m),
            Events.Corrected(Ids.Correction2, Ids.Charge, EntryKind.Charge, 35.5m, -35.5m)];

        When.Correct(Given.Account(history), Given.Entry(Ids.Charge, history), Correct(Ids.Charge, 24.5m, Ids.Correction3)).ThenEvents(
            new EntryCorrected(Ids.Account, Ids.Correction3, Ids.Charge, EntryKind.Charge, 24.5m, -24.5m, "Billed twice", At.Now));
    }

    [Fact]
    public void Given_a_charge_partly_corrected_When_corrected_by_one_cent_more_than_remains_Then_rejected_correction_exceeds_remaining()
    {
        object[] history = [.. History, Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 40m, -40m)];

        When.Correct(Given.Account(history), Given.Entry(Ids.Charge, history), Correct(Ids.Charge, 60.01m, Ids.Correction2))
            .ThenRejected("correction-exceeds-remaining", "amount");
    }

    [Fact]
    public void Given_a_charge_corrected_down_to_zero_When_corrected_by_one_more_cent_Then_rejected_correction_exceeds_remaining()
    {
        object[] history = [.. History, Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 40m, -40m),
            Events.Corrected(Ids.Correction2, Ids.Charge, EntryKind.Charge, 35.5m, -35.5m),
            Events.Corrected(Ids.Correction3, Ids.Charge, EntryKind.Charge, 24.5m, -24.5m)];

        When.Correct(Given.Account(history), Given.Entry(Ids.Charge, history), Correct(Ids.Charge, 0.01m, Ids.Correction4))
            .ThenRejected("correction-exceeds-remaining", "amount");
    }

    [Fact]
    public void Given_closed_account_When_corrected_Then_rejected_account_closed()
    {
        object[] history = [.. History, Events.Closed()];

        When.Correct(Given.Account(history), Given.Entry(Ids.Charge, history), Correct(Ids.Charge, 1m)).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData("0", "amount-must-be-positive")]
    [InlineData("-1", "amount-must-be-positive")]
    [InlineData("1.005", "amount-too-precise")]
    public void Given_a_charge_When_correction_amount_breaks_an_amount_rule_Then_rejected_with_that_rule(string amount, string rule)
    {
        var command = Correct(Ids.Charge, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture));

        When.Correct(Given.Account(History), Given.Entry(Ids.Charge, History), command).ThenRejected(rule, "amount");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_charge_When_corrected_without_reason_Then_rejected_required(string reason)
    {
        When.Correct(Given.Account(History), Given.Entry(Ids.Charge, History), Correct(Ids.Charge, 1m) with { Reason = reason })
            .ThenRejected("required", "reason");
    }
}
