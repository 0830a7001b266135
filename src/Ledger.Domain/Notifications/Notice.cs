using Ledger.Domain.Accounts;

namespace Ledger.Domain.Notifications;

public enum NoticeKind { StatementIssued, PaymentReceived, CreditApplied, RequestApproved, RequestRejected, DisputeResolved, AddressChanged, ContactChanged, ConfirmEmail, PaymentFailed, PaymentReversed, RefundSent, RefundFailed,
    PaymentReminder, LateNotice, IntentToCancel, SuspendedForNonPayment, CancelledForNonPayment, Reinstated, PlanAgreed, PlanBroken,
    ServiceRequestReceived, ServiceRequestWaiting, ServiceRequestDelayed, ServiceRequestMessage, ServiceRequestCompleted, ServiceRequestRejected,
    ServiceRequestDraftExpiring, StatementCopy }

public enum NoticeChannel { Email, Paper }

/// <summary>
/// Who receives one notice. <see cref="Previous"/>: the contact as it was before a change (told so they can object),
/// as opposed to the contact now on the account.
/// </summary>
public sealed record NoticeRecipient(NoticeChannel Channel, string Name, string? Email, Address? Address, bool Previous = false)
{
    public string Key => Channel == NoticeChannel.Email
        ? $"email:{Email!.ToLowerInvariant()}"
        : $"post:{Name}|{Address!.Line1}|{Address.Line2}|{Address.PostalCode}|{Address.City}|{Address.Country}";

    public string Display => Channel == NoticeChannel.Email ? Email! : $"{Name}, {Address!.Line1}, {Address.PostalCode} {Address.City}, {Address.Country}";
}

/// <summary>
/// One message to one recipient about one recorded account event. Its id is derived from the account, the event's
/// stream version and the recipient, so deciding it again (a retried handler, a replayed message) gives the same id:
/// that id is the delivery record's key and the e-mail's Message-Id.
/// </summary>
public sealed record Notice(
    Guid NoticeId, NoticeKind Kind, Guid AccountId, string AccountNumber, long EventVersion, NoticeRecipient To, string Currency,
    decimal? Amount, string? Reference, string? Detail, DateTimeOffset OccurredAt, Guid? StatementId = null, string? DocumentSha256 = null,
    DateOnly? DueDate = null)
{
    /// <summary>For a notice about a service request: the request (its number is <see cref="Reference"/>, its stream version <see cref="EventVersion"/>).</summary>
    public Guid? RequestId { get; init; }

    /// <summary>For a completed service request: the signed proof of what was done, enclosed.</summary>
    public string? ProofSha256 { get; init; }

    /// <summary>For a completed service request: the single-use feedback link, made when the notice is sent and stored nowhere.</summary>
    public string? FeedbackLink { get; init; }
}
