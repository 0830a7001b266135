using Ledger.Domain.Accounts;

namespace Ledger.Domain.Tests;

public static class At
{
    public static readonly DateTimeOffset Opened = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Earlier = new(2025, 3, 5, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);
}

public static class Ids
{
    public static readonly Guid Account = Guid.Parse("0190a1b2-c3d4-7e5f-8a6b-7c8d9e0f1a2b");
    /// <summary><c>AccountNumbers.For(Ids.Account)</c>, worked out by hand from the id's low 60 bits.</summary>
    public const string AccountNumber = "MTVW-HPF0-Y6HB";
    public static readonly Guid OtherAccount = Guid.Parse("0190a1b2-c3d4-7e5f-9000-0000000000bb");
    public static readonly Guid Charge = Guid.Parse("c0000000-0000-0000-0000-000000000001");
    public static readonly Guid Charge2 = Guid.Parse("c0000000-0000-0000-0000-000000000002");
    public static readonly Guid Payment = Guid.Parse("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid Payment2 = Guid.Parse("a0000000-0000-0000-0000-000000000002");
    public static readonly Guid Credit = Guid.Parse("cc000000-0000-0000-0000-000000000001");
    public static readonly Guid Correction = Guid.Parse("e0000000-0000-0000-0000-000000000001");
    public static readonly Guid Correction2 = Guid.Parse("e0000000-0000-0000-0000-000000000002");
    public static readonly Guid Correction3 = Guid.Parse("e0000000-0000-0000-0000-000000000003");
    public static readonly Guid Correction4 = Guid.Parse("e0000000-0000-0000-0000-000000000004");
    public static readonly Guid Reversal = Guid.Parse("f0000000-0000-0000-0000-000000000001");
    public static readonly Guid Reversal2 = Guid.Parse("f0000000-0000-0000-0000-000000000002");
    public static readonly Guid Dispute = Guid.Parse("d0000000-0000-0000-0000-000000000001");
    public static readonly Guid Dispute2 = Guid.Parse("d0000000-0000-0000-0000-000000000002");
}

/// <summary>Past facts for Given histories. Every field is fixed so expected events can be written out in full.</summary>
public static class Events
{
    public static readonly Address Home = new("12 Rue des Lilas", null, "Lyon", "69003", "FR");

    public static AccountOpened Opened(string currency = "USD", Guid? accountId = null) =>
        new(accountId ?? Ids.Account, Ids.AccountNumber, "cust-42", "Ada Lovelace", currency, 15, Home, At.Opened);

    public static ProfileChanged ProfileChanged(string holderName, Address address) => new(Ids.Account, holderName, address, At.Earlier);

    public static ChargePosted Charged(Guid entryId, decimal amount, Guid? accountId = null) =>
        new(accountId ?? Ids.Account, entryId, amount, "Fibre 1 Gbit", "internet", null, null, At.Earlier);

    public static PaymentReceived Paid(Guid entryId, decimal amount) =>
        new(Ids.Account, entryId, amount, PaymentMethod.Check, "CHK-0042", null, null, At.Earlier);

    public static PaymentReceived PaidByCard(Guid entryId, decimal amount) =>
        new(Ids.Account, entryId, amount, PaymentMethod.Card, null, "Visa", "4242", At.Earlier);

    public static CreditIssued Credited(Guid entryId, decimal amount) =>
        new(Ids.Account, entryId, amount, "goodwill", "Outage on 3 March", At.Earlier);

    public static EntryCorrected Corrected(Guid correctionId, Guid entryId, EntryKind kind, decimal amount, decimal balanceEffect) =>
        new(Ids.Account, correctionId, entryId, kind, amount, balanceEffect, "Billed twice", At.Earlier);

    public static CorrectionReversed Reversed(Guid reversalId, Guid correctionId, Guid entryId, decimal amount, decimal balanceEffect) =>
        new(Ids.Account, reversalId, correctionId, entryId, amount, balanceEffect, "Correction was wrong", At.Earlier);

    public static ChargeDisputed Disputed(Guid disputeId, Guid entryId) => new(Ids.Account, disputeId, entryId, "Never ordered", At.Earlier);

    public static DisputeResolved Resolved(Guid disputeId, Guid entryId, DisputeOutcome outcome = DisputeOutcome.Upheld) =>
        new(Ids.Account, disputeId, entryId, outcome, "Refund agreed", At.Earlier);

    public static AccountSuspended Suspended() => new(Ids.Account, "Fraud check", At.Earlier);
    public static AccountReactivated Reactivated() => new(Ids.Account, "Fraud check passed", At.Earlier);
    public static AccountClosed Closed() => new(Ids.Account, "Customer left", At.Earlier);
}
