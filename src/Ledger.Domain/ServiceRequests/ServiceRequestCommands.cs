using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.ServiceRequests;

/// <summary>
/// What a decision about a request is given besides the request: the moment, who acts (from the token), the policy in force,
/// and the request's type as it stands now (null when the type is unknown).
/// </summary>
public sealed record RequestFacts(DateTimeOffset Now, Poster By, ServiceRequestPolicy Policy, RequestTypeState? Type);

/// <summary>A command on one request's stream: pure; the write path loads and locks the request, decides and appends.</summary>
public interface IServiceRequestCommand
{
    Guid RequestId { get; }

    /// <summary>The request type the decision needs to read (null: the request's own).</summary>
    string? TypeToRead => null;

    Decision Decide(ServiceRequest? request, RequestFacts facts);
}

/// <summary>The rules every command shares.</summary>
internal static class RequestRules
{
    public const int MaxDocuments = 20;

    public static Rejection NotFound(Guid id) => new("request-not-found", $"Service request {id} does not exist.");

    public static Rejection? Open(ServiceRequest r, string doing) => r.Status switch
    {
        RequestStatus.Draft => new Rejection("request-not-submitted", $"The request is a draft; submit it before {doing}.", IsConflict: true, Reference: r.Id),
        _ when r.IsClosed => new Rejection("request-closed", $"Request {r.Number ?? r.Id.ToString()} is {ServiceRequest.Name(r.Status)}; nothing more can be done on it.",
            IsConflict: true, Reference: r.Id),
        _ => null,
    };

    public static Rejection? Draft(ServiceRequest r, DateTimeOffset now) => r.Status switch
    {
        RequestStatus.Draft when r.DraftExpiresAt <= now => new Rejection("draft-expired", "The draft expired; start a new request.", IsConflict: true, Reference: r.Id),
        RequestStatus.Draft => null,
        _ => new Rejection("request-not-a-draft", $"Request {r.Number ?? r.Id.ToString()} is {ServiceRequest.Name(r.Status)}, no longer a draft.",
            IsConflict: true, Reference: r.Id),
    };

    public static Rejection? Type(RequestFacts facts, string code)
    {
        if (facts.Type is not { } type)
            return new Rejection("type-unknown", $"There is no request type '{code}'.", "type");
        return type.Retired
            ? new Rejection("type-retired", $"Request type '{code}' has been retired; no new request of it can be made.", "type")
            : null;
    }

    public static DateTimeOffset DraftExpiry(RequestFacts facts) => facts.Now.AddDays(facts.Policy.DraftLifetimeDays);

    /// <summary>When <paramref name="percent"/> % of the level's window is used, on the running clock.</summary>
    public static DateTimeOffset AlertMoment(ServiceClock clock, TimeSpan openedAtUsed, TimeSpan window, int percent, WorkingCalendar calendar)
    {
        var target = openedAtUsed + TimeSpan.FromTicks(window.Ticks / 100 * percent);
        var left = target - clock.Used;
        return calendar.Add(clock.RunningSince!.Value, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    public static (TimeSpan Used, bool Within) Kept(ServiceRequest r, RequestFacts facts)
    {
        var used = r.Clock!.UsedAt(facts.Now, facts.Policy.Calendar);
        return (used, used <= r.Turnaround);
    }
}

/// <summary>Start a request as a draft (the customer's "save and come back later").</summary>
public sealed record OpenDraft(Guid RequestId, string TypeCode, Guid AccountId, string CustomerId, IReadOnlyDictionary<string, string?>? Fields)
    : IServiceRequestCommand
{
    public string? TypeToRead => TypeCode;

    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is not null)
            return Decision.Reject(new Rejection("request-exists", $"Request {RequestId} already exists.", IsConflict: true, Reference: RequestId));
        if (RequestRules.Type(facts, TypeCode) is { } badType)
            return Decision.Reject(badType);
        if (FormRules.Check(facts.Type!.Current, Fields, complete: false) is { } badField)
            return Decision.Reject(badField);
        return Decision.Accept(new ServiceRequestDrafted(RequestId, TypeCode, facts.Type.Version, AccountId, CustomerId, FormRules.Normalized(Fields),
            facts.By.UserId, facts.By.Role, facts.Now, RequestRules.DraftExpiry(facts)));
    }
}

public sealed record SaveDraft(Guid RequestId, IReadOnlyDictionary<string, string?>? Fields) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Draft(request, facts.Now) is { } notDraft)
            return Decision.Reject(notDraft);
        if (RequestRules.Type(facts, request.TypeCode) is { } badType)
            return Decision.Reject(badType);
        return FormRules.Check(facts.Type!.Current, Fields, complete: false) is { } badField
            ? Decision.Reject(badField)
            : Decision.Accept(new ServiceRequestDraftSaved(RequestId, FormRules.Normalized(Fields), facts.By.UserId, facts.Now, RequestRules.DraftExpiry(facts)));
    }
}

public sealed record DiscardDraft(Guid RequestId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts) =>
        request is null ? Decision.Reject(RequestRules.NotFound(RequestId))
        : RequestRules.Draft(request, facts.Now) is { } notDraft ? Decision.Reject(notDraft)
        : Decision.Accept(new ServiceRequestDraftDiscarded(RequestId, facts.By.UserId, facts.Now));
}

/// <summary>
/// A draft's timer: remind the customer <see cref="ServiceRequestPolicy.DraftReminderDays"/> days before it expires, and
/// expire it when it is due. A timer set for an expiry a later save moved finds nothing to do.
/// </summary>
public sealed record ReviewDraft(Guid RequestId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is not { Status: RequestStatus.Draft, DraftExpiresAt: { } expires })
            return Decision.Accept();
        if (facts.Now >= expires)
            return Decision.Accept(new ServiceRequestDraftExpired(RequestId, facts.Now));
        return facts.Now >= expires.AddDays(-facts.Policy.DraftReminderDays) && request.RemindedOfExpiry != expires && facts.Policy.DraftReminderDays > 0
            ? Decision.Accept(new ServiceRequestDraftReminded(RequestId, expires, facts.Now))
            : Decision.Accept();
    }
}

/// <summary>
/// A document checked by the caller (content, size, name) and stored under its hash. A draft takes documents from whoever may
/// edit it; a submitted request from the customer (answering) and the desk, until it is closed.
/// </summary>
public sealed record AttachDocument(Guid RequestId, Guid DocumentId, string? Slot, string FileName, string ContentType, long Length, string Sha256)
    : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if ((request.Status == RequestStatus.Draft ? RequestRules.Draft(request, facts.Now) : RequestRules.Open(request, "attaching documents")) is { } closed)
            return Decision.Reject(closed);
        if (request.Documents.Count >= RequestRules.MaxDocuments)
            return Decision.Reject("too-many-documents", $"A request holds at most {RequestRules.MaxDocuments} documents.", "file");
        if (Slot is not null && facts.Type?.Current.Documents.All(d => d.Name != Slot) != false)
            return Decision.Reject("document-slot-unknown",
                $"The '{request.TypeCode}' form asks for no document '{(Slot.Length > 40 ? Slot[..40] : Slot)}'" +
                $"{(facts.Type is { } t && t.Current.Documents.Count > 0 ? $"; it asks for: {string.Join(", ", t.Current.Documents.Select(d => d.Name))}" : "")}.", "slot");
        if (request.Documents.FirstOrDefault(d => d.Sha256 == Sha256 && d.Slot == Slot) is { } same)
            return Decision.Reject(new Rejection("document-duplicate", $"This file is already attached as '{same.FileName}'.", "file", IsConflict: true,
                Reference: same.DocumentId));
        return Decision.Accept(new ServiceRequestDocumentAttached(RequestId, DocumentId, Slot, FileName, ContentType, Length, Sha256, facts.By.UserId,
            facts.By.Role, facts.Now));
    }
}

/// <summary>
/// Submit a draft (or, with <see cref="Open"/>, a request made in one go): every required field and document present, against
/// the type as it stands now. The number is drawn by the caller; the due time is the turnaround in working hours from now.
/// </summary>
public sealed record SubmitRequest(Guid RequestId, string Number, IReadOnlyDictionary<string, string?>? Fields, OpenDraft? Open = null)
    : IServiceRequestCommand
{
    public string? TypeToRead => Open?.TypeCode;

    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        var events = new List<object>();
        if (request is null && Open is not null)
        {
            var opened = Open.Decide(null, facts);
            if (opened.Rejection is { } refused)
                return opened;
            events.AddRange(opened.Events);
            request = ServiceRequest.Evolve(null, opened.Events[0], 1);
        }
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Draft(request, facts.Now) is { } notDraft)
            return Decision.Reject(notDraft);
        if (RequestRules.Type(facts, request.TypeCode) is { } badType)
            return Decision.Reject(badType);
        var type = facts.Type!.Current;
        var fields = Fields is null ? request.Fields.ToDictionary(p => p.Key, p => (string?)p.Value) : Fields;
        if (FormRules.Check(type, fields, complete: true) is { } badField)
            return Decision.Reject(badField);
        if (type.Documents.FirstOrDefault(slot => slot.Required && request.Documents.All(d => d.Slot != slot.Name)) is { } missing)
            return Decision.Reject("document-required", $"'{missing.Label}' is required: upload it before submitting.", $"documents.{missing.Name}");
        var turnaround = TimeSpan.FromHours(type.TurnaroundHours);
        var calendar = facts.Policy.Calendar;
        var clock = ServiceClock.Start(turnaround, facts.Now);
        events.Add(new ServiceRequestSubmitted(RequestId, Number, type.Code, facts.Type.Version, FormRules.Normalized(fields), type.Team,
            type.TurnaroundHours, clock.DueAt(calendar)!.Value, RequestRules.AlertMoment(clock, TimeSpan.Zero, turnaround, facts.Policy.AlertAtPercent, calendar),
            facts.By.UserId, facts.By.Role, facts.Now));
        return Decision.Accept([.. events]);
    }
}

/// <summary>Give the request to a team, and to a person in it (null: the team's queue).</summary>
public sealed record AssignRequest(Guid RequestId, string Team, string? Assignee) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Open(request, "assigning it") is { } closed)
            return Decision.Reject(closed);
        if (!RequestTypeCodes.FieldName(Team))
            return Decision.Reject("team-invalid", "'team' is 1 to 40 letters and digits, starting with a lowercase letter.", "team");
        if (Assignee is not null && (Assignee.Length is 0 or > 100 || Assignee.Any(char.IsControl)))
            return Decision.Reject("assignee-invalid", "'assignee' is a user id of 1 to 100 characters.", "assignee");
        return request.Team == Team && request.Assignee == Assignee
            ? Decision.Reject(new Rejection("assignment-unchanged", "The request is already assigned so.", IsConflict: true, Reference: RequestId))
            : Decision.Accept(new ServiceRequestAssigned(RequestId, Team, Assignee, facts.By.UserId, facts.Now));
    }
}

public sealed record StartReview(Guid RequestId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts) =>
        request is null ? Decision.Reject(RequestRules.NotFound(RequestId))
        : RequestRules.Open(request, "reviewing it") is { } closed ? Decision.Reject(closed)
        : request.Status != RequestStatus.Received
            ? Decision.Reject(new Rejection("request-not-received", $"The request is {ServiceRequest.Name(request.Status)}; only a received request starts its review.",
                IsConflict: true, Reference: RequestId))
            : Decision.Accept(new ServiceRequestReviewStarted(RequestId, facts.By.UserId, facts.Now));
}

/// <summary>Ask the customer for something (documents by slot, or information): the clock stops until they answer.</summary>
public sealed record AskCustomer(Guid RequestId, string Message, IReadOnlyList<string>? Documents) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Open(request, "asking the customer") is { } closed)
            return Decision.Reject(closed);
        if (request.Status == RequestStatus.WaitingForCustomer)
            return Decision.Reject(new Rejection("already-waiting", "The request already waits for the customer's answer.", IsConflict: true, Reference: RequestId));
        if (Guards.Text(Message, "message", 2000) is { } badMessage)
            return Decision.Reject(badMessage);
        var slots = Documents ?? [];
        if (slots.Count > 10 || slots.Any(s => !RequestTypeCodes.FieldName(s)))
            return Decision.Reject("documents-invalid", "'documents' names at most 10 documents, each 1 to 40 letters and digits.", "documents");
        // Only what the customer can upload: a document the form does not have could never be given, and the request would wait forever.
        var known = facts.Type?.Current.Documents.Select(d => d.Name).ToHashSet() ?? [];
        if (slots.FirstOrDefault(s => !known.Contains(s)) is { } unknown)
            return Decision.Reject("document-slot-unknown",
                $"The '{request.TypeCode}' form has no document '{unknown}'" + (known.Count > 0 ? $"; it has: {string.Join(", ", known)}." : "; ask in the message."),
                "documents");
        var used = request.Clock!.UsedAt(facts.Now, facts.Policy.Calendar);
        return Decision.Accept(new ServiceRequestInformationRequested(RequestId, Message.Trim(), slots.Distinct().ToList(), facts.By.UserId, facts.Now, used));
    }
}

/// <summary>The customer's answer to what the desk asked (with the documents they attached since): the clock runs again.</summary>
public sealed record AnswerRequest(Guid RequestId, string Message) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Open(request, "answering") is { } closed)
            return Decision.Reject(closed);
        if (request.Status != RequestStatus.WaitingForCustomer)
            return Decision.Reject(new Rejection("not-waiting", "Nothing was asked of you on this request.", IsConflict: true, Reference: RequestId));
        if (Guards.Text(Message, "message", 2000) is { } badMessage)
            return Decision.Reject(badMessage);
        var since = request.Documents.Where(d => d.AttachedAt >= request.WaitingSince).ToList();
        if (request.DocumentsAskedFor.FirstOrDefault(slot => since.All(d => d.Slot != slot)) is { } missing)
            return Decision.Reject("document-required", $"The desk asked for '{missing}': upload it before answering.", $"documents.{missing}");
        var calendar = facts.Policy.Calendar;
        var running = request.Clock!.Resume(facts.Now);
        var alert = request.AlertedLevel >= request.Level
            ? (DateTimeOffset?)null
            : RequestRules.AlertMoment(running, request.LevelOpenedAtUsed, request.LevelWindow, facts.Policy.AlertAtPercent, calendar);
        return Decision.Accept(new ServiceRequestCustomerAnswered(RequestId, Message.Trim(),
            since.Select(d => d.DocumentId).ToList(),
            facts.By.UserId, facts.Now, running.DueAt(calendar)!.Value, alert));
    }
}

/// <summary>An internal note (<see cref="ToCustomer"/> false) or a message to the customer.</summary>
public sealed record WriteOnRequest(Guid RequestId, string Text, bool ToCustomer) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (request.Status == RequestStatus.Draft)
            return Decision.Reject(new Rejection("request-not-submitted", "The request is a draft; it has no desk conversation yet.", IsConflict: true, Reference: RequestId));
        if (ToCustomer && RequestRules.Open(request, "messaging the customer") is { } closed)
            return Decision.Reject(closed);
        if (Guards.Text(Text, "text", 4000) is { } bad)
            return Decision.Reject(bad);
        return Decision.Accept(ToCustomer
            ? new ServiceRequestMessageSent(RequestId, Text.Trim(), facts.By.UserId, facts.Now)
            : new ServiceRequestNoteAdded(RequestId, Text.Trim(), facts.By.UserId, facts.Now));
    }
}

/// <summary>
/// A request's timer fired: alert the level working it when its time is running out, escalate it when the due time passed.
/// Each alert and escalation happens once, however often (or late) a timer fires: a timer that finds the clock stopped, the
/// request closed, or its moment not come yet (a resumed or extended clock) does nothing.
/// </summary>
public sealed record CheckRequestTimers(Guid RequestId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is not { IsOpen: true, Status: not RequestStatus.WaitingForCustomer, DueAt: { } due, Clock: { } clock })
            return Decision.Accept();
        var calendar = facts.Policy.Calendar;
        if (facts.Now >= due && request.Level < ServiceRequestPolicy.Manager)
        {
            var level = request.Level + 1;
            var extension = facts.Policy.Extension(request.Turnaround);
            var extended = clock.Extend(extension);
            var reason = $"not completed within {Hours(clock.Turnaround)} working hours; passed to the {(level == ServiceRequestPolicy.TeamLead ? "team lead" : "manager")}";
            return Decision.Accept(new ServiceRequestEscalated(RequestId, level, reason, due, extended.DueAt(calendar)!.Value,
                RequestRules.AlertMoment(extended, clock.Turnaround, extension, facts.Policy.AlertAtPercent, calendar), extension, facts.Now));
        }
        return request.AlertAt is { } alertAt && facts.Now >= alertAt && request.AlertedLevel < request.Level
            ? Decision.Accept(new ServiceRequestDelayAlerted(RequestId, request.Level, request.Team, request.Assignee, due, facts.Now))
            : Decision.Accept();
    }

    private static string Hours(TimeSpan t) => t.TotalHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A dispute was opened on the line item the request asks about.</summary>
public sealed record LinkDispute(Guid RequestId, Guid EntryId, Guid DisputeId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts) =>
        request is null ? Decision.Reject(RequestRules.NotFound(RequestId))
        : request.DisputeId == DisputeId ? Decision.Accept()
        : Decision.Accept(new ServiceRequestDisputeLinked(RequestId, EntryId, DisputeId, facts.Now));
}

/// <summary>Completing asked for an approval; the request waits for it (still open, still on the clock).</summary>
public sealed record AwaitApproval(Guid RequestId, Guid ApprovalId) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts) =>
        request is null ? Decision.Reject(RequestRules.NotFound(RequestId))
        : RequestRules.Open(request, "completing it") is { } closed ? Decision.Reject(closed)
        : request.AwaitingApproval == ApprovalId ? Decision.Accept()
        : Decision.Accept(new ServiceRequestApprovalAwaited(RequestId, ApprovalId, facts.By.UserId, facts.Now));
}

/// <summary>
/// Done: the ledger command the type calls for has been applied by the caller (<see cref="Applied"/>, <see cref="AppliedId"/>),
/// the signed proof stored (<see cref="ProofSha256"/>). Only from review: a request waiting for the customer is answered first.
/// </summary>
public sealed record ResolveRequest(Guid RequestId, string Resolution, string Applied, Guid? AppliedId, string? ProofSha256) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Open(request, "completing it") is { } closed)
            return Decision.Reject(closed);
        if (request.Status == RequestStatus.WaitingForCustomer)
            return Decision.Reject(new Rejection("waiting-for-customer", "The request waits for the customer's answer; it cannot be completed before it.",
                IsConflict: true, Reference: RequestId));
        if (Guards.Text(Resolution, "resolution", 2000) is { } bad)
            return Decision.Reject(bad);
        var (used, within) = RequestRules.Kept(request, facts);
        return Decision.Accept(new ServiceRequestResolved(RequestId, Resolution.Trim(), Applied, AppliedId, ProofSha256, used, within, facts.By.UserId, facts.Now));
    }
}

public sealed record RejectRequest(Guid RequestId, string Reason) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (RequestRules.Open(request, "rejecting it") is { } closed)
            return Decision.Reject(closed);
        if (Guards.Text(Reason, "reason", 2000) is { } bad)
            return Decision.Reject(bad);
        var (used, within) = RequestRules.Kept(request, facts);
        return Decision.Accept(new ServiceRequestRejected(RequestId, Reason.Trim(), used, within, facts.By.UserId, facts.Now));
    }
}

/// <summary>The customer's feedback, once, on a resolved request.</summary>
public sealed record GiveFeedback(Guid RequestId, int Rating, string? Comment) : IServiceRequestCommand
{
    public Decision Decide(ServiceRequest? request, RequestFacts facts)
    {
        if (request is null)
            return Decision.Reject(RequestRules.NotFound(RequestId));
        if (request.Status != RequestStatus.Resolved)
            return Decision.Reject(new Rejection("request-not-resolved", "Feedback is given on a completed request.", IsConflict: true, Reference: RequestId));
        if (request.Rating is not null)
            return Decision.Reject(new Rejection("feedback-already-given", "Feedback on this request was already given; the link works once.", IsConflict: true, Reference: RequestId));
        if (Rating is < 1 or > 5)
            return Decision.Reject("rating-out-of-range", "'rating' is 1 to 5.", "rating");
        if (Comment is { Length: > 2000 })
            return Decision.Reject("too-long", "'comment' is at most 2000 characters.", "comment");
        return Decision.Accept(new ServiceRequestFeedbackReceived(RequestId, Rating, string.IsNullOrWhiteSpace(Comment) ? null : Comment.Trim(), facts.Now));
    }
}
