using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts;

// Facts of one account's stream. Who did it, in which role, through which channel and under which
// correlation id travels as event metadata (set from the token), never in these records.
// The *At fields are the business (effective) time; Marten's own timestamp stays the audit time.

/// <summary>An event about one entry (charge, payment or credit) of the account.</summary>
public interface IEntryEvent
{
    Guid EntryId { get; }
}

public sealed record Address(string Line1, string? Line2, string City, string PostalCode, string Country);

/// <summary><see cref="Cancelled"/>: for non-payment (collections); it still takes payments and may be reinstated.</summary>
public enum AccountStatus { Open, Suspended, Closed, Cancelled }

public enum EntryKind { Charge, Payment, Credit, Refund }

public enum PaymentMethod { Card, Check, Transfer, Cash }

public enum DisputeOutcome { Upheld, Rejected }

public sealed record AccountOpened(
    Guid AccountId, string AccountNumber, string CustomerId, string HolderName, string Currency,
    int BillingDay, Address Address, DateTimeOffset OpenedAt);

public sealed record ProfileChanged(Guid AccountId, string HolderName, Address Address, DateTimeOffset ChangedAt);

public sealed record ChargePosted(
    Guid AccountId, Guid EntryId, decimal Amount, string Description, string Category,
    DateOnly? ServiceFrom, DateOnly? ServiceTo, DateTimeOffset PostedAt) : IEntryEvent;

/// <summary>
/// Money the ledger holds: settled by the processor or the bank, or taken at the desk. The balance falls and the payment
/// becomes an entry (its id is the payment's). For cards only the brand and last four digits are ever recorded.
/// Its members never change: the hash chain covers each event's data as serialized again when verified, so a member
/// added to a recorded event type breaks the chain of every event of that type already written.
/// </summary>
public sealed record PaymentReceived(
    Guid AccountId, Guid EntryId, decimal Amount, PaymentMethod Method, string? Reference,
    string? CardBrand, string? CardLast4, DateTimeOffset ReceivedAt) : IEntryEvent;

/// <summary>
/// A payment the customer says they made, or the desk took in a form that still has to clear (a check, a transfer, a
/// card on the processor's page): pending until the processor or the bank confirms it. The balance does not move.
/// </summary>
public sealed record PaymentInitiated(
    Guid AccountId, Guid PaymentId, decimal Amount, PaymentMethod Method, string? Reference, string? ProcessorReference,
    DateTimeOffset InitiatedAt);

/// <summary>
/// The processor or the bank confirmed a pending payment, under its own reference (the processor's PaymentIntent, the
/// bank's entry): recorded just before the <see cref="PaymentReceived"/> that applies the money. <see cref="Source"/> says
/// who confirmed it ("stripe", "bank").
/// </summary>
public sealed record PaymentConfirmed(Guid AccountId, Guid PaymentId, string Source, string ConfirmationReference, DateTimeOffset ConfirmedAt);

/// <summary>How money already settled came back: the card's holder disputed it with their bank, or the bank returned it.</summary>
public enum ReversalKind { Chargeback, Returned }

/// <summary>
/// Money of a settled payment went back to the payer: a chargeback (the card processor's dispute; <see cref="Reference"/>
/// is its id) or a returned check or transfer (the bank's entry). The balance rises by <see cref="Amount"/>; the payment's
/// line stays, with the reversal beside it. <see cref="ReasonCode"/> is the network's or bank's own code.
/// </summary>
public sealed record PaymentReversed(
    Guid AccountId, Guid PaymentId, Guid ReversalId, decimal Amount, ReversalKind Kind, string Source, string Reference, string ReasonCode,
    string Reason, DateTimeOffset ReversedAt) : IEntryEvent
{
    Guid IEntryEvent.EntryId => PaymentId;
}

/// <summary>A chargeback decided in the merchant's favour: the money is the ledger's again and the balance falls by it.</summary>
public sealed record PaymentReinstated(Guid AccountId, Guid PaymentId, Guid ReversalId, decimal Amount, DateTimeOffset ReinstatedAt) : IEntryEvent
{
    Guid IEntryEvent.EntryId => PaymentId;
}

/// <summary>The processor declined, or the bank refused, a pending payment: nothing was applied.</summary>
public sealed record PaymentFailed(Guid AccountId, Guid PaymentId, string ReasonCode, string Reason, DateTimeOffset FailedAt);

public sealed record CreditIssued(
    Guid AccountId, Guid EntryId, decimal Amount, string ReasonCode, string Reason, DateTimeOffset IssuedAt,
    Authorization? Authorization = null) : IEntryEvent;

/// <summary>
/// Reduces what remains of an earlier entry. <see cref="BalanceEffect"/> is signed (positive = the customer
/// owes more): correcting a charge lowers the balance, reversing a payment (a bounced check) raises it.
/// </summary>
public sealed record EntryCorrected(
    Guid AccountId, Guid CorrectionId, Guid EntryId, EntryKind CorrectedKind, decimal Amount,
    decimal BalanceEffect, string Reason, DateTimeOffset CorrectedAt, Authorization? Authorization = null) : IEntryEvent;

/// <summary>Undoes a wrong correction; the corrected entry's remaining amount is restored.</summary>
public sealed record CorrectionReversed(
    Guid AccountId, Guid ReversalId, Guid CorrectionId, Guid EntryId, decimal Amount,
    decimal BalanceEffect, string Reason, DateTimeOffset ReversedAt) : IEntryEvent;

public sealed record ChargeDisputed(Guid AccountId, Guid DisputeId, Guid EntryId, string Reason, DateTimeOffset OpenedAt) : IEntryEvent;

public sealed record DisputeResolved(
    Guid AccountId, Guid DisputeId, Guid EntryId, DisputeOutcome Outcome, string Note, DateTimeOffset ResolvedAt) : IEntryEvent;

/// <summary>The customer's own label for a line item; the biller's category stays as it was.</summary>
public sealed record EntryCategorized(Guid AccountId, Guid EntryId, string Category, DateTimeOffset CategorizedAt) : IEntryEvent;

public sealed record AccountSuspended(Guid AccountId, string Reason, DateTimeOffset SuspendedAt);

public sealed record AccountReactivated(Guid AccountId, string Reason, DateTimeOffset ReactivatedAt);

public sealed record AccountClosed(Guid AccountId, string Reason, DateTimeOffset ClosedAt);

/// <summary>
/// A closed account, settled and with nothing open, moved to cold storage (`archive-closed`): its events then live in
/// the archived partition of the event table. Nothing is written to it afterwards; everything recorded stays readable.
/// </summary>
public sealed record AccountArchived(Guid AccountId, string Reason, DateTimeOffset ClosedBefore, DateTimeOffset ArchivedAt);
