using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;

namespace Ledger.Domain.Tests.Accounts.Correcting;

public class ReversingCorrectionsTests
{
    private static readonly object[] History =
    [
        Events.Opened(), Events.Charged(Ids.Charge, 100m), Events.Paid(Ids.Payment, 60m), Events.Credited(Ids.Credit, 10m),
        Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 30m, -30m),
        Events.Corrected(Ids.Correction2, Ids.Payment, EntryKind.Payment, 60m, 60m),
        Events.Corrected(Ids.Correction3, Ids.Credit, EntryKind.Credit, 4m, 4m),
    ];

    private static ReverseCorrection Reverse(Guid correctionId, Guid? reversalId = null) =>
        new(Ids.Account, reversalId ?? Ids.Reversal, correctionId, "  Correction was wrong ");

    [Fact]
    public void Given_a_corrected_charge_When_correction_reversed_Then_correction_reversed_raising_the_balance_back()
    {
        When.Reverse(Given.Account(History), Given.Entry(Ids.Charge, History), Reverse(Ids.Correction)).ThenEvents(
            new CorrectionReversed(Ids.Account, Ids.Reversal, Ids.Correction, Ids.Charge, 30m, 30m, "Correction was wrong", At.Now));
    }

    [Fact]
    public void Given_a_bounced_payment_When_correction_reversed_Then_correction_reversed_lowering_the_balance_back()
    {
        When.Reverse(Given.Account(History), Given.Entry(Ids.Payment, History), Reverse(Ids.Correction2)).ThenEvents(
            new CorrectionReversed(Ids.Account, Ids.Reversal, Ids.Correction2, Ids.Payment, 60m, -60m, "Correction was wrong", At.Now));
    }

    [Fact]
    public void Given_a_corrected_credit_When_correction_reversed_Then_correction_reversed_lowering_the_balance_back()
    {
        When.Reverse(Given.Account(History), Given.Entry(Ids.Credit, History), Reverse(Ids.Correction3)).ThenEvents(
            new CorrectionReversed(Ids.Account, Ids.Reversal, Ids.Correction3, Ids.Credit, 4m, -4m, "Correction was wrong", At.Now));
    }

    [Fact]
    public void Given_a_charge_corrected_to_zero_and_reversed_When_corrected_in_full_again_Then_entry_corrected()
    {
        object[] history =
        [
            Events.Opened(), Events.Charged(Ids.Charge, 100m),
            Events.Corrected(Ids.Correction, Ids.Charge, EntryKind.Charge, 100m, -100m),
            Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 100m, 100m),
        ];
        var command = new CorrectEntry(Ids.Account, Ids.Correction2, Ids.Charge, 100m, "Billed twice");

        When.Correct(Given.Account(history), Given.Entry(Ids.Charge, history), command).ThenEvents(
            new EntryCorrected(Ids.Account, Ids.Correction2, Ids.Charge, EntryKind.Charge, 100m, -100m, "Billed twice", At.Now));
    }

    [Fact]
    public void Given_a_reversed_correction_When_reversed_again_Then_rejected_correction_already_reversed()
    {
        object[] history = [.. History, Events.Reversed(Ids.Reversal, Ids.Correction, Ids.Charge, 30m, 30m)];

        When.Reverse(Given.Account(history), Given.Entry(Ids.Charge, history), Reverse(Ids.Correction, Ids.Reversal2))
            .ThenRejected("correction-already-reversed");
    }

    [Fact]
    public void Given_an_entry_without_that_correction_When_reversed_Then_rejected_correction_not_found()
    {
        When.Reverse(Given.Account(History), Given.Entry(Ids.Charge, History), Reverse(Ids.Correction2))
            .ThenRejected("correction-not-found", "correctionId");
    }

    [Fact]
    public void Given_no_entry_When_reversed_Then_rejected_correction_not_found()
    {
        When.Reverse(Given.Account(History), null, Reverse(Ids.Correction)).ThenRejected("correction-not-found", "correctionId");
    }

    [Fact]
    public void Given_a_correction_on_another_accounts_entry_When_reversed_Then_rejected_correction_not_found()
    {
        var foreignCorrection = new EntryCorrected(Ids.OtherAccount, Ids.Correction4, Ids.Charge2, EntryKind.Charge, 5m, -5m, "x", At.Earlier);
        var foreign = Given.Entry(Ids.Charge2, Events.Charged(Ids.Charge2, 100m, Ids.OtherAccount), foreignCorrection);

        When.Reverse(Given.Account(History), foreign, Reverse(Ids.Correction4)).ThenRejected("correction-not-found", "correctionId");
    }

    [Fact]
    public void Given_closed_account_When_correction_reversed_Then_rejected_account_closed()
    {
        object[] history = [.. History, Events.Closed()];

        When.Reverse(Given.Account(history), Given.Entry(Ids.Charge, history), Reverse(Ids.Correction)).ThenRejected("account-closed");
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Given_a_corrected_charge_When_reversed_without_reason_Then_rejected_required(string reason)
    {
        When.Reverse(Given.Account(History), Given.Entry(Ids.Charge, History), Reverse(Ids.Correction) with { Reason = reason })
            .ThenRejected("required", "reason");
    }
}
