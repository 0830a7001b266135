namespace Ledger.Domain.ServiceRequests;

// Every fact about a service request, on the request's own stream. Who did it is the token's user (By) and the role they
// acted in (ByRole: customer, csr, manager, or system for timers).

/// <summary>A form saved for later: the type at the version it was opened with, the answers so far, when the draft expires.</summary>
public sealed record ServiceRequestDrafted(Guid RequestId, string TypeCode, long TypeVersion, Guid AccountId, string CustomerId,
    IReadOnlyDictionary<string, string> Fields, string By, string ByRole, DateTimeOffset DraftedAt, DateTimeOffset ExpiresAt);

/// <summary>The draft's answers as saved again (from any device); its expiry moves.</summary>
public sealed record ServiceRequestDraftSaved(Guid RequestId, IReadOnlyDictionary<string, string> Fields, string By, DateTimeOffset SavedAt,
    DateTimeOffset ExpiresAt);

/// <summary>The customer was told the draft expires soon.</summary>
public sealed record ServiceRequestDraftReminded(Guid RequestId, DateTimeOffset ExpiresAt, DateTimeOffset RemindedAt);

public sealed record ServiceRequestDraftExpired(Guid RequestId, DateTimeOffset ExpiredAt);

public sealed record ServiceRequestDraftDiscarded(Guid RequestId, string By, DateTimeOffset DiscardedAt);

/// <summary>
/// A document uploaded, checked by its content and kept under its SHA-256. <see cref="Slot"/>: which of the type's documents
/// it is (null: something else the customer or the desk added).
/// </summary>
public sealed record ServiceRequestDocumentAttached(Guid RequestId, Guid DocumentId, string? Slot, string FileName, string ContentType, long Length,
    string Sha256, string By, string ByRole, DateTimeOffset AttachedAt);

/// <summary>
/// The request as submitted: its number, the answers, the team that works it, and the promise — due at <see cref="DueAt"/>,
/// <see cref="TurnaroundHours"/> working hours after submission; the assignee is alerted at <see cref="AlertAt"/>.
/// </summary>
public sealed record ServiceRequestSubmitted(Guid RequestId, string Number, string TypeCode, long TypeVersion, IReadOnlyDictionary<string, string> Fields,
    string Team, int TurnaroundHours, DateTimeOffset DueAt, DateTimeOffset AlertAt, string By, string ByRole, DateTimeOffset SubmittedAt);

/// <summary>Given to a team, and to a person in it (null: the team's queue).</summary>
public sealed record ServiceRequestAssigned(Guid RequestId, string Team, string? Assignee, string By, DateTimeOffset AssignedAt);

public sealed record ServiceRequestReviewStarted(Guid RequestId, string By, DateTimeOffset StartedAt);

/// <summary>
/// The desk needs something from the customer (<see cref="Documents"/>: slots asked for). The turnaround clock stops, with
/// <see cref="WorkingTimeUsed"/> of it used.
/// </summary>
public sealed record ServiceRequestInformationRequested(Guid RequestId, string Message, IReadOnlyList<string> Documents, string By,
    DateTimeOffset RequestedAt, TimeSpan WorkingTimeUsed);

/// <summary>The customer answered: the clock runs again, and the request is due at <see cref="DueAt"/>.</summary>
public sealed record ServiceRequestCustomerAnswered(Guid RequestId, string Message, IReadOnlyList<Guid> DocumentIds, string By, DateTimeOffset AnsweredAt,
    DateTimeOffset DueAt, DateTimeOffset? AlertAt);

/// <summary>For colleagues only; never shown to the customer.</summary>
public sealed record ServiceRequestNoteAdded(Guid RequestId, string Text, string By, DateTimeOffset AddedAt);

/// <summary>A message to the customer, sent by their channel and shown with the request.</summary>
public sealed record ServiceRequestMessageSent(Guid RequestId, string Text, string By, DateTimeOffset SentAt);

/// <summary>The time is running out: whoever works the request at <see cref="Level"/> is alerted (once per level).</summary>
public sealed record ServiceRequestDelayAlerted(Guid RequestId, int Level, string Team, string? Assignee, DateTimeOffset DueAt, DateTimeOffset AlertedAt);

/// <summary>The due time passed: the request goes up a level, and the customer is told the new expected time and why.</summary>
public sealed record ServiceRequestEscalated(Guid RequestId, int Level, string Reason, DateTimeOffset PreviousDueAt, DateTimeOffset DueAt,
    DateTimeOffset AlertAt, TimeSpan Extension, DateTimeOffset EscalatedAt);

/// <summary>A dispute opened on the line item the request is about.</summary>
public sealed record ServiceRequestDisputeLinked(Guid RequestId, Guid EntryId, Guid DisputeId, DateTimeOffset LinkedAt);

/// <summary>Completing it asked the ledger for something over the desk's limits: it waits for that approval.</summary>
public sealed record ServiceRequestApprovalAwaited(Guid RequestId, Guid ApprovalId, string By, DateTimeOffset AwaitedAt);

/// <summary>
/// Done: what the customer is told, what the ledger recorded (<see cref="Applied"/>, and the id it answered with), the signed
/// proof's SHA-256, and whether the promise was kept (<see cref="WorkingTimeUsed"/> against the turnaround).
/// </summary>
public sealed record ServiceRequestResolved(Guid RequestId, string Resolution, string Applied, Guid? AppliedId, string? ProofSha256,
    TimeSpan WorkingTimeUsed, bool WithinTurnaround, string By, DateTimeOffset ResolvedAt);

public sealed record ServiceRequestRejected(Guid RequestId, string Reason, TimeSpan WorkingTimeUsed, bool WithinTurnaround, string By,
    DateTimeOffset RejectedAt);

/// <summary>The customer's rating (1 to 5) and comment, given once through the link in the completion notice.</summary>
public sealed record ServiceRequestFeedbackReceived(Guid RequestId, int Rating, string? Comment, DateTimeOffset ReceivedAt);

public static class ServiceRequestEventTypes
{
    public static readonly Type[] All =
    [
        typeof(ServiceRequestDrafted), typeof(ServiceRequestDraftSaved), typeof(ServiceRequestDraftReminded), typeof(ServiceRequestDraftExpired),
        typeof(ServiceRequestDraftDiscarded), typeof(ServiceRequestDocumentAttached), typeof(ServiceRequestSubmitted), typeof(ServiceRequestAssigned),
        typeof(ServiceRequestReviewStarted), typeof(ServiceRequestInformationRequested), typeof(ServiceRequestCustomerAnswered),
        typeof(ServiceRequestNoteAdded), typeof(ServiceRequestMessageSent), typeof(ServiceRequestDelayAlerted), typeof(ServiceRequestEscalated),
        typeof(ServiceRequestDisputeLinked), typeof(ServiceRequestApprovalAwaited), typeof(ServiceRequestResolved), typeof(ServiceRequestRejected),
        typeof(ServiceRequestFeedbackReceived), typeof(ServiceRequestTypeDefined), typeof(ServiceRequestTypeRetired), typeof(ServiceRequestPolicyChanged),
    ];
}
