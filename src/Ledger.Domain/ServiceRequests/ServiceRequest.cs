namespace Ledger.Domain.ServiceRequests;

/// <summary>
/// Where a request stands. A draft becomes <see cref="Received"/> when submitted, or ends <see cref="Expired"/> or
/// <see cref="Discarded"/>; a submitted request ends <see cref="Resolved"/> or <see cref="Rejected"/>.
/// </summary>
public enum RequestStatus { Draft, Received, InReview, WaitingForCustomer, Resolved, Rejected, Expired, Discarded }

public sealed record AttachedDocument(Guid DocumentId, string? Slot, string FileName, string ContentType, long Length, string Sha256, string By,
    string ByRole, DateTimeOffset AttachedAt);

/// <summary>One service request as its stream says it stands (Marten's inline snapshot; the write side loads it to decide).</summary>
public sealed record ServiceRequest
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public string TypeCode { get; init; } = "";
    public long TypeVersion { get; init; }
    public Guid AccountId { get; init; }
    public string CustomerId { get; init; } = "";
    public RequestStatus Status { get; init; }
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>While a draft: when it expires, and the expiry the customer was last reminded of.</summary>
    public DateTimeOffset? DraftExpiresAt { get; init; }
    public DateTimeOffset? RemindedOfExpiry { get; init; }

    public IReadOnlyList<AttachedDocument> Documents { get; init; } = [];
    public string? Number { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public string Team { get; init; } = "";
    public string? Assignee { get; init; }

    /// <summary>0: the team; then <see cref="ServiceRequestPolicy.TeamLead"/> and <see cref="ServiceRequestPolicy.Manager"/>.</summary>
    public int Level { get; init; }

    /// <summary>The level the last delay alert was raised at (-1: none yet).</summary>
    public int AlertedLevel { get; init; } = -1;

    public ServiceClock? Clock { get; init; }

    /// <summary>The promise as first made, in working time; escalations extend <see cref="Clock"/>, never this.</summary>
    public TimeSpan Turnaround { get; init; }

    /// <summary>When the current level's window opened, in working time used, and how long it is (for its delay alert).</summary>
    public TimeSpan LevelOpenedAtUsed { get; init; }
    public TimeSpan LevelWindow { get; init; }

    /// <summary>Null while waiting for the customer (the clock is stopped) and once closed.</summary>
    public DateTimeOffset? DueAt { get; init; }
    public DateTimeOffset? AlertAt { get; init; }
    public IReadOnlyList<string> DocumentsAskedFor { get; init; } = [];

    /// <summary>When the desk last asked the customer for something (what they attach from then on answers it).</summary>
    public DateTimeOffset? WaitingSince { get; init; }
    public Guid? DisputeId { get; init; }
    public Guid? AwaitingApproval { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? Resolution { get; init; }
    public string? Applied { get; init; }
    public Guid? AppliedId { get; init; }
    public string? ProofSha256 { get; init; }
    public bool? WithinTurnaround { get; init; }
    public int? Rating { get; init; }

    public bool IsOpen => Status is RequestStatus.Received or RequestStatus.InReview or RequestStatus.WaitingForCustomer;
    public bool IsClosed => Status is RequestStatus.Resolved or RequestStatus.Rejected or RequestStatus.Expired or RequestStatus.Discarded;

    public static ServiceRequest? Evolve(ServiceRequest? r, object @event, long version)
    {
        var next = Fold(r, @event);
        return next is null ? null : next with { Version = version };
    }

    private static ServiceRequest? Fold(ServiceRequest? r, object @event) => (r, @event) switch
    {
        (null, ServiceRequestDrafted e) => new ServiceRequest
        {
            Id = e.RequestId, TypeCode = e.TypeCode, TypeVersion = e.TypeVersion, AccountId = e.AccountId, CustomerId = e.CustomerId,
            Status = RequestStatus.Draft, Fields = e.Fields, CreatedBy = e.By, CreatedAt = e.DraftedAt, UpdatedAt = e.DraftedAt, DraftExpiresAt = e.ExpiresAt,
        },
        (null, _) => null,
        (_, ServiceRequestDraftSaved e) => r with { Fields = e.Fields, DraftExpiresAt = e.ExpiresAt, UpdatedAt = e.SavedAt },
        (_, ServiceRequestDraftReminded e) => r with { RemindedOfExpiry = e.ExpiresAt },
        (_, ServiceRequestDraftExpired e) => r with { Status = RequestStatus.Expired, ClosedAt = e.ExpiredAt, DraftExpiresAt = null, UpdatedAt = e.ExpiredAt },
        (_, ServiceRequestDraftDiscarded e) => r with { Status = RequestStatus.Discarded, ClosedAt = e.DiscardedAt, DraftExpiresAt = null, UpdatedAt = e.DiscardedAt },
        (_, ServiceRequestDocumentAttached e) => r with
        {
            Documents = [.. r.Documents, new AttachedDocument(e.DocumentId, e.Slot, e.FileName, e.ContentType, e.Length, e.Sha256, e.By, e.ByRole, e.AttachedAt)],
            UpdatedAt = e.AttachedAt,
        },
        (_, ServiceRequestSubmitted e) => r with
        {
            Status = RequestStatus.Received, Number = e.Number, TypeCode = e.TypeCode, TypeVersion = e.TypeVersion, Fields = e.Fields, Team = e.Team,
            SubmittedAt = e.SubmittedAt, DraftExpiresAt = null, Turnaround = TimeSpan.FromHours(e.TurnaroundHours),
            Clock = ServiceClock.Start(TimeSpan.FromHours(e.TurnaroundHours), e.SubmittedAt), LevelOpenedAtUsed = TimeSpan.Zero,
            LevelWindow = TimeSpan.FromHours(e.TurnaroundHours), DueAt = e.DueAt, AlertAt = e.AlertAt, UpdatedAt = e.SubmittedAt,
        },
        (_, ServiceRequestAssigned e) => r with { Team = e.Team, Assignee = e.Assignee, UpdatedAt = e.AssignedAt },
        (_, ServiceRequestReviewStarted e) => r with { Status = RequestStatus.InReview, UpdatedAt = e.StartedAt },
        (_, ServiceRequestInformationRequested e) => r with
        {
            Status = RequestStatus.WaitingForCustomer, Clock = r.Clock! with { Used = e.WorkingTimeUsed, RunningSince = null }, DueAt = null, AlertAt = null,
            DocumentsAskedFor = e.Documents, WaitingSince = e.RequestedAt, UpdatedAt = e.RequestedAt,
        },
        (_, ServiceRequestCustomerAnswered e) => r with
        {
            Status = RequestStatus.InReview, Clock = r.Clock!.Resume(e.AnsweredAt), DueAt = e.DueAt, AlertAt = e.AlertAt, DocumentsAskedFor = [],
            UpdatedAt = e.AnsweredAt,
        },
        (_, ServiceRequestNoteAdded e) => r with { UpdatedAt = e.AddedAt },
        (_, ServiceRequestMessageSent e) => r with { UpdatedAt = e.SentAt },
        (_, ServiceRequestDelayAlerted e) => r with { AlertedLevel = e.Level, UpdatedAt = e.AlertedAt },
        (_, ServiceRequestEscalated e) => r with
        {
            Level = e.Level, Clock = r.Clock!.Extend(e.Extension), LevelOpenedAtUsed = r.Clock!.Turnaround, LevelWindow = e.Extension, DueAt = e.DueAt,
            AlertAt = e.AlertAt, UpdatedAt = e.EscalatedAt,
        },
        (_, ServiceRequestDisputeLinked e) => r with { DisputeId = e.DisputeId, UpdatedAt = e.LinkedAt },
        (_, ServiceRequestApprovalAwaited e) => r with { AwaitingApproval = e.ApprovalId, UpdatedAt = e.AwaitedAt },
        (_, ServiceRequestResolved e) => r with
        {
            Status = RequestStatus.Resolved, Resolution = e.Resolution, Applied = e.Applied, AppliedId = e.AppliedId, ProofSha256 = e.ProofSha256,
            WithinTurnaround = e.WithinTurnaround, ClosedAt = e.ResolvedAt, DueAt = null, AlertAt = null, AwaitingApproval = null,
            Clock = r.Clock! with { Used = e.WorkingTimeUsed, RunningSince = null }, UpdatedAt = e.ResolvedAt,
        },
        (_, ServiceRequestRejected e) => r with
        {
            Status = RequestStatus.Rejected, Resolution = e.Reason, WithinTurnaround = e.WithinTurnaround, ClosedAt = e.RejectedAt, DueAt = null,
            AlertAt = null, AwaitingApproval = null, Clock = r.Clock! with { Used = e.WorkingTimeUsed, RunningSince = null }, UpdatedAt = e.RejectedAt,
        },
        (_, ServiceRequestFeedbackReceived e) => r with { Rating = e.Rating, UpdatedAt = e.ReceivedAt },
        _ => r,
    };

    /// <summary>The customer-facing name of a status (the API's and the portal's).</summary>
    public static string Name(RequestStatus status) => status switch
    {
        RequestStatus.InReview => "in-review",
        RequestStatus.WaitingForCustomer => "waiting-for-customer",
        _ => status.ToString().ToLowerInvariant(),
    };
}
