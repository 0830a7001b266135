using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests;

public static class At
{
    public static readonly DateTimeOffset Opened = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Earlier = new(2025, 3, 5, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Now = new(2025, 3, 14, 9, 30, 0, TimeSpan.Zero);
    /// <summary>When the Given approval requests were made: still pending at <see cref="Now"/> (they expire 72 hours later).</summary>
    public static readonly DateTimeOffset Requested = new(2025, 3, 13, 16, 0, 0, TimeSpan.Zero);
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
    public static readonly Guid Credit2 = Guid.Parse("cc000000-0000-0000-0000-000000000002");
    public static readonly Guid Credit3 = Guid.Parse("cc000000-0000-0000-0000-000000000003");
    public static readonly Guid Correction = Guid.Parse("e0000000-0000-0000-0000-000000000001");
    public static readonly Guid Correction2 = Guid.Parse("e0000000-0000-0000-0000-000000000002");
    public static readonly Guid Correction3 = Guid.Parse("e0000000-0000-0000-0000-000000000003");
    public static readonly Guid Correction4 = Guid.Parse("e0000000-0000-0000-0000-000000000004");
    public static readonly Guid Reversal = Guid.Parse("f0000000-0000-0000-0000-000000000001");
    public static readonly Guid Reversal2 = Guid.Parse("f0000000-0000-0000-0000-000000000002");
    public static readonly Guid Dispute = Guid.Parse("d0000000-0000-0000-0000-000000000001");
    public static readonly Guid Dispute2 = Guid.Parse("d0000000-0000-0000-0000-000000000002");
    /// <summary>The approval a When asks for or decides.</summary>
    public static readonly Guid Approval = Guid.Parse("ab000000-0000-0000-0000-000000000001");
    public static readonly Guid OtherApproval = Guid.Parse("ab000000-0000-0000-0000-000000000002");
    /// <summary>The credit or correction an approval applies.</summary>
    public static readonly Guid Applied = Guid.Parse("ae000000-0000-0000-0000-000000000001");
}

/// <summary>Who posts and decides, as their tokens say.</summary>
public static class Posters
{
    public static readonly Poster Customer = new("cust-42-login", Poster.Customer);
    public static readonly Poster Csr = new("csr-ann", Poster.Csr);
    public static readonly Poster Csr2 = new("csr-bob", Poster.Csr);
    public static readonly Poster Manager = new("mgr-max", Poster.Manager);
    public static readonly Poster Manager2 = new("mgr-mia", Poster.Manager);
    public static readonly Poster Manager3 = new("mgr-moe", Poster.Manager);
}

/// <summary>The limits in force for every When: policy version 3 of the stream.</summary>
public static class Limits
{
    public const long Version = 3;

    public static readonly LimitsPolicy Default = new(
        Csr: new RoleLimits(MaxSingleCredit: 100m, MaxSingleCorrection: 200m, DailyCreditTotal: 500m, AccountCreditTotal30Days: 300m),
        Manager: new RoleLimits(MaxSingleCredit: 1_000m, MaxSingleCorrection: 2_000m, DailyCreditTotal: 5_000m, AccountCreditTotal30Days: 3_000m),
        SecondApprovalAbove: 5_000m,
        ApprovalExpiryHours: 72);

    public static LimitsInForce InForce(decimal usedToday = 0m) => new(Default, Version, usedToday);
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

    public static CreditIssued Credited(Guid entryId, decimal amount, DateTimeOffset? at = null) =>
        new(Ids.Account, entryId, amount, "goodwill", "Outage on 3 March", at ?? At.Earlier);

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

    /// <summary>A credit request, made at <paramref name="at"/> (default <see cref="At.Requested"/>) under <see cref="Limits.Default"/>.</summary>
    public static ApprovalRequested CreditRequested(Guid approvalId, decimal amount, Poster by, string exceededLimit, int approvalsRequired = 1,
        DateTimeOffset? at = null) =>
        new(Ids.Account, approvalId, ApprovalKind.Credit, amount, "goodwill", "Outage on 3 March", null, by.UserId, by.Role, exceededLimit,
            Limits.Version, approvalsRequired, at ?? At.Requested, (at ?? At.Requested).AddHours(Limits.Default.ApprovalExpiryHours));

    public static ApprovalRequested CorrectionRequested(Guid approvalId, Guid entryId, decimal amount, Poster by, string exceededLimit,
        int approvalsRequired = 1) =>
        new(Ids.Account, approvalId, ApprovalKind.Correction, amount, null, "Billed twice", entryId, by.UserId, by.Role, exceededLimit,
            Limits.Version, approvalsRequired, At.Requested, At.Requested.AddHours(Limits.Default.ApprovalExpiryHours));

    public static ApprovalGranted Granted(Guid approvalId, Poster by) => new(Ids.Account, approvalId, by.UserId, null, At.Requested.AddHours(1));

    public static ApprovalApproved Approved(Guid approvalId, Poster by, Guid appliedId) =>
        new(Ids.Account, approvalId, by.UserId, null, appliedId, At.Requested.AddHours(2));

    public static ApprovalRejected RejectedApproval(Guid approvalId, Poster by) =>
        new(Ids.Account, approvalId, by.UserId, "Not justified", At.Requested.AddHours(2));

    public static ApprovalExpired Expired(Guid approvalId, DateTimeOffset at) => new(Ids.Account, approvalId, at);
}
