using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts;

/// <summary>How a refund reaches the customer: back to the card they paid with (through the processor), or by bank transfer.</summary>
public enum RefundMethod { Card, Transfer }

/// <summary>
/// Money the ledger owes the customer (a credit balance) is on its way back to them: pending until the processor or the
/// bank confirms it left, and kept apart from what may still be refunded meanwhile. <see cref="CardPaymentId"/> is the
/// card payment it goes back to; <see cref="DestinationAccount"/> the IBAN a transfer goes to; <see cref="Reference"/>
/// the creditor reference the transfer carries (and the bank's statement shows).
/// </summary>
public sealed record RefundIssued(
    Guid AccountId, Guid RefundId, decimal Amount, RefundMethod Method, Guid? CardPaymentId, string? DestinationAccount, string Reference,
    string Reason, DateTimeOffset IssuedAt, Authorization? Authorization);

/// <summary>
/// The details of a refund someone asked for over their authority, recorded beside its <see cref="ApprovalRequested"/>:
/// where the money would go if approved.
/// </summary>
public sealed record RefundRequested(
    Guid AccountId, Guid ApprovalId, RefundMethod Method, Guid? CardPaymentId, string? DestinationAccount, DateTimeOffset RequestedAt);

/// <summary>The processor or the bank confirmed the refund left: the credit balance shrinks by it, and it is a line of its own.</summary>
public sealed record RefundSettled(Guid AccountId, Guid RefundId, decimal Amount, RefundMethod Method, string Source, string ConfirmationReference,
    DateTimeOffset SettledAt) : IEntryEvent
{
    Guid IEntryEvent.EntryId => RefundId;
}

/// <summary>The refund did not go out (the processor refused it, the bank sent it back): the money is the customer's credit again.</summary>
public sealed record RefundFailed(Guid AccountId, Guid RefundId, string ReasonCode, string Reason, DateTimeOffset FailedAt);
