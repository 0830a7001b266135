using JasperFx.Events;
using Ledger.Api.Access;
using Ledger.Domain.ServiceRequests;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// A request in a list (the customer's own, the desk's queue). <see cref="WorkingHoursLeft"/>: of the promised time, in
/// working hours now (negative once late; null while the clock is stopped or the request is closed).
/// </summary>
public sealed record ServiceRequestSummary(Guid Id, string? Number, string Type, string Status, Guid AccountId, string Team, string? Assignee, int Level,
    DateTimeOffset CreatedAt, DateTimeOffset? SubmittedAt, DateTimeOffset? DueAt, decimal? WorkingHoursLeft, DateTimeOffset? DraftExpiresAt,
    DateTimeOffset UpdatedAt, long Version)
{
    public static ServiceRequestSummary From(ServiceRequest r, WorkingCalendar calendar, DateTimeOffset now) => new(r.Id, r.Number, r.TypeCode,
        ServiceRequest.Name(r.Status), r.AccountId, r.Team, r.Assignee, r.Level, r.CreatedAt, r.SubmittedAt, r.DueAt,
        r is { IsOpen: true, Clock: { Paused: false } clock } ? decimal.Round((decimal)clock.LeftAt(now, calendar).TotalHours, 2) : null,
        r.DraftExpiresAt, r.UpdatedAt, r.Version);
}

public sealed record DocumentView(Guid Id, string? Slot, string FileName, string ContentType, long Length, string Sha256, DateTimeOffset AttachedAt, string By);

/// <summary>
/// One thing that happened on a request. <see cref="Internal"/> entries (notes, alerts, assignment) are for staff only and
/// never reach a customer's view; to a customer, staff are "desk".
/// </summary>
public sealed record TimelineEntry(long Version, DateTimeOffset At, string Kind, string By, string? Text, bool Internal);

/// <summary>A request in full: the answers, the documents, the conversation (and, for staff, the notes) and the outcome.</summary>
public sealed record ServiceRequestView(ServiceRequestSummary Summary, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<DocumentView> Documents,
    IReadOnlyList<string> DocumentsAskedFor, IReadOnlyList<TimelineEntry> Timeline, string? Resolution, string? Applied, Guid? AppliedId,
    bool ProofAvailable, bool? WithinTurnaround, int? Rating, Guid? DisputeId, Guid? AwaitingApproval, long TypeVersion)
{
    public static ServiceRequestView From(ServiceRequest r, IReadOnlyList<IEvent> stream, Actor viewer, WorkingCalendar calendar, DateTimeOffset now)
    {
        var outside = viewer.IsOutside;
        string Who(string by, string role) => !outside || role == Roles.Customer ? by : "desk";
        var timeline = stream.Select(e => Entry(e, Who)).OfType<TimelineEntry>().Where(t => !outside || !t.Internal).ToList();
        return new ServiceRequestView(ServiceRequestSummary.From(r, calendar, now) with { Assignee = outside ? null : r.Assignee }, r.Fields,
            r.Documents.Select(d => new DocumentView(d.DocumentId, d.Slot, d.FileName, d.ContentType, d.Length, d.Sha256, d.AttachedAt, Who(d.By, d.ByRole)))
                .ToList(),
            r.DocumentsAskedFor, timeline, r.Resolution, r.Applied, r.AppliedId, r.ProofSha256 is not null, r.WithinTurnaround, r.Rating, r.DisputeId,
            outside ? null : r.AwaitingApproval, r.TypeVersion);
    }

    private static TimelineEntry? Entry(IEvent e, Func<string, string, string> who)
    {
        var role = e.Headers?.GetValueOrDefault(Projections.EventHeaders.Role)?.ToString() ?? "system";
        var by = who(e.UserName ?? "system", role);
        TimelineEntry Make(string kind, DateTimeOffset at, string? text, bool isInternal = false) => new(e.Version, at, kind, by, text, isInternal);
        return e.Data switch
        {
            ServiceRequestDrafted d => Make("drafted", d.DraftedAt, null),
            ServiceRequestDraftReminded d => Make("draft-reminded", d.RemindedAt, $"expires {RequestNotices.When(d.ExpiresAt)}"),
            ServiceRequestDraftExpired d => Make("draft-expired", d.ExpiredAt, null),
            ServiceRequestDraftDiscarded d => Make("draft-discarded", d.DiscardedAt, null),
            ServiceRequestDocumentAttached d => Make("document-attached", d.AttachedAt, d.FileName),
            ServiceRequestSubmitted s => Make("submitted", s.SubmittedAt, $"{s.Number}, due {RequestNotices.When(s.DueAt)}"),
            ServiceRequestAssigned a => Make("assigned", a.AssignedAt, a.Assignee is null ? a.Team : $"{a.Assignee} ({a.Team})", isInternal: true),
            ServiceRequestReviewStarted r => Make("review-started", r.StartedAt, null),
            ServiceRequestInformationRequested i => Make("information-requested", i.RequestedAt, i.Message),
            ServiceRequestCustomerAnswered a => Make("customer-answered", a.AnsweredAt, a.Message),
            ServiceRequestNoteAdded n => Make("note", n.AddedAt, n.Text, isInternal: true),
            ServiceRequestMessageSent m => Make("message", m.SentAt, m.Text),
            ServiceRequestDelayAlerted a => Make("delay-alert", a.AlertedAt, $"level {a.Level}, due {RequestNotices.When(a.DueAt)}", isInternal: true),
            ServiceRequestEscalated x => Make("escalated", x.EscalatedAt, $"{x.Reason}; now expected by {RequestNotices.When(x.DueAt)}"),
            ServiceRequestDisputeLinked d => Make("dispute-opened", d.LinkedAt, d.DisputeId.ToString()),
            ServiceRequestApprovalAwaited a => Make("approval-requested", a.AwaitedAt, a.ApprovalId.ToString(), isInternal: true),
            ServiceRequestResolved r => Make("resolved", r.ResolvedAt, r.Resolution),
            ServiceRequestRejected r => Make("rejected", r.RejectedAt, r.Reason),
            ServiceRequestFeedbackReceived f => Make("feedback", f.ReceivedAt, $"{f.Rating}/5{(f.Comment is null ? "" : ": " + f.Comment)}"),
            _ => null,
        };
    }
}
