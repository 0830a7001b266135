using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.ServiceRequests.Documents;
using Ledger.Domain;
using Ledger.Domain.ServiceRequests;
using Marten;
using Marten.Pagination;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

public sealed record OpenRequestRequest(string? Type, Dictionary<string, string?>? Fields, bool? Submit);

public sealed class OpenRequestValidator : AbstractValidator<OpenRequestRequest>
{
    public OpenRequestValidator()
    {
        RuleFor(r => r.Type).NotEmpty().MaximumLength(40);
        RuleFor(r => r.Fields).Must(f => f is null || f.Count <= 50).WithMessage("'fields' holds at most 50 answers.");
    }
}

public sealed record SaveDraftRequest(Dictionary<string, string?>? Fields);

public sealed class SaveDraftValidator : AbstractValidator<SaveDraftRequest>
{
    public SaveDraftValidator() => RuleFor(r => r.Fields).NotNull().Must(f => f is null || f.Count <= 50).WithMessage("'fields' holds at most 50 answers.");
}

public sealed record SubmitRequestRequest(Dictionary<string, string?>? Fields);

public sealed class SubmitRequestValidator : AbstractValidator<SubmitRequestRequest>
{
    public SubmitRequestValidator() => RuleFor(r => r.Fields).Must(f => f is null || f.Count <= 50).WithMessage("'fields' holds at most 50 answers.");
}

public sealed record AssignRequestRequest(string? Team, string? Assignee);

public sealed class AssignRequestValidator : AbstractValidator<AssignRequestRequest>
{
    public AssignRequestValidator()
    {
        RuleFor(r => r.Team).NotEmpty().MaximumLength(40);
        RuleFor(r => r.Assignee).MaximumLength(100);
    }
}

public sealed record AskCustomerRequest(string? Message, List<string>? Documents);

public sealed class AskCustomerValidator : AbstractValidator<AskCustomerRequest>
{
    public AskCustomerValidator()
    {
        RuleFor(r => r.Message).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.Documents).Must(d => d is null || d.Count <= 10).WithMessage("'documents' names at most 10 documents.");
    }
}

public sealed record TextRequest(string? Text);

public sealed class TextRequestValidator : AbstractValidator<TextRequest>
{
    public TextRequestValidator() => RuleFor(r => r.Text).NotEmpty().MaximumLength(4000);
}

public sealed record AnswerRequestRequest(string? Message);

public sealed class AnswerRequestValidator : AbstractValidator<AnswerRequestRequest>
{
    public AnswerRequestValidator() => RuleFor(r => r.Message).NotEmpty().MaximumLength(2000);
}

public sealed record RejectRequestRequest(string? Reason);

public sealed class RejectRequestValidator : AbstractValidator<RejectRequestRequest>
{
    public RejectRequestValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(2000);
}

public static class RequestEndpoints
{
    public static void MapServiceRequests(this WebApplication app)
    {
        app.MapPost("/api/accounts/{accountId:guid}/service-requests", async (Guid accountId, OpenRequestRequest body, HttpContext http, IQuerySession query,
                IMessageBus bus, TimeProvider clock) =>
            {
                if (await AccountAccess.VisibleAsync(query, http, accountId) is not { } account)
                    return Problems.NotFound($"Account {accountId}");
                var id = Guid.CreateVersion7();
                var open = new OpenDraft(id, body.Type!, accountId, account.CustomerId, body.Fields);
                IServiceRequestCommand command = body.Submit == true
                    ? new SubmitRequest(id, await RequestNumbers.NextAsync(query, clock.GetUtcNow(), http.RequestAborted), body.Fields, open)
                    : open;
                return await WriteAsync(http, bus, query, command, created: true);
            })
            .Validated<OpenRequestRequest>()
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .WithTags("Service requests")
            .WithName("OpenServiceRequest").Produces<ServiceRequestView>(StatusCodes.Status201Created).Write(answers: false, ifMatch: false)
            .WithSummary("Open a service request of a catalogue type on an account (the customer on their own, the desk on the customer's behalf): " +
                         "a draft to finish later, or submitted at once (submit: true) when every required field and document is there — a draft " +
                         "needs its documents uploaded before it is submitted. A retired type is refused (422 naming it).");

        var requests = app.MapGroup("/api/service-requests").WithTags("Service requests");

        requests.MapGet("/", async (string? status, string? team, string? assignee, string? type, string? sort, int? page, int? pageSize,
                HttpContext http, IQuerySession query, TimeProvider clock) =>
            {
                if (Paging.Check(page, pageSize) is { } badPage)
                    return Problems.Rule(badPage, StatusCodes.Status400BadRequest);
                var wanted = status is null ? null : RequestQueries.StatusNamed(status);
                if (status is not null && wanted is null)
                    return Problems.Rule(new Rejection("status-unknown", $"'status' is one of: {string.Join(", ", RequestQueries.StatusNames)}.", "status"), 400);
                if (sort is not null and not ("due" or "updated" or "created"))
                    return Problems.Rule(new Rejection("sort-unknown", "'sort' is due (the least time left first), updated or created (newest first).", "sort"), 400);
                var actor = Actor.From(http.User);
                var q = RequestQueries.Listed(query, actor, wanted, team, assignee, type);
                q = (sort ?? (actor.IsCustomer ? "updated" : "due")) switch
                {
                    "due" => q.LeastTimeLeftFirst(),
                    "created" => q.OrderByDescending(r => r.CreatedAt),
                    _ => q.OrderByDescending(r => r.UpdatedAt),
                };
                var size = pageSize ?? 50;
                var number = page ?? 1;
                var found = await q.ToPagedListAsync(number, size, http.RequestAborted);
                var policy = await RequestReads.PolicyAsync(query, http.RequestAborted);
                var now = clock.GetUtcNow();
                return Results.Ok(new PagedResult<ServiceRequestSummary>(found.Select(r => ServiceRequestSummary.From(r, policy.Current.Calendar, now)).ToList(),
                    number, size, found.TotalItemCount));
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("ListServiceRequests")
            .WithSummary("A customer: their own requests, drafts included (newest first). Staff: the desk's queue — open requests by default, " +
                         "the least time left first — filtered by status, team, assignee and type.")
            .Produces<PagedResult<ServiceRequestSummary>>()
            .Refuses(StatusCodes.Status400BadRequest);

        requests.MapGet("/{requestId:guid}", async (Guid requestId, DateTimeOffset? asOf, HttpContext http, IQuerySession query, TimeProvider clock) =>
            {
                if (await RequestReads.VisibleAsync(query, http, requestId) is not { } current)
                    return Problems.NotFound($"Service request {requestId}");
                var request = current;
                var events = await query.Events.FetchStreamAsync(requestId, token: http.RequestAborted);
                if (asOf is { } moment)
                {
                    events = events.Where(e => e.Timestamp <= moment).ToList();
                    request = events.Aggregate((ServiceRequest?)null, (r, e) => ServiceRequest.Evolve(r, e.Data, e.Version))!;
                    if (request is null)
                        return Problems.NotFound($"Service request {requestId} as of {moment:O}");
                }
                var policy = await RequestReads.PolicyAsync(query, http.RequestAborted);
                http.Response.Headers.ETag = ETags.For(request.Version);
                return Results.Ok(ServiceRequestView.From(request, events, Actor.From(http.User), policy.Current.Calendar, asOf ?? clock.GetUtcNow()));
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("GetServiceRequest").Versioned()
            .WithSummary("One request: its answers, documents, conversation with the customer, status, due time and time left; staff also see " +
                         "internal notes, alerts and assignment. asOf: the request as it stood then (its events up to that moment).")
            .Produces<ServiceRequestView>()
            .Refuses(StatusCodes.Status404NotFound);

        requests.MapPut("/{requestId:guid}/draft", (Guid requestId, SaveDraftRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                Guarded(http, query, requestId, () => WriteAsync(http, bus, query, new SaveDraft(requestId, body.Fields))))
            .Validated<SaveDraftRequest>()
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .WithName("SaveServiceRequestDraft").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Save the draft's answers (from any device); its expiry moves to the policy's lifetime from now.");

        requests.MapDelete("/{requestId:guid}/draft", (Guid requestId, HttpContext http, IQuerySession query, IMessageBus bus) =>
                Guarded(http, query, requestId, () => WriteAsync(http, bus, query, new DiscardDraft(requestId))))
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .WithName("DiscardServiceRequestDraft").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Discard a draft (it stays on the record as discarded).");

        requests.MapPost("/{requestId:guid}/submission", (Guid requestId, SubmitRequestRequest body, HttpContext http, IQuerySession query, IMessageBus bus,
                TimeProvider clock) =>
                Guarded(http, query, requestId, async () => await WriteAsync(http, bus, query,
                    new SubmitRequest(requestId, await RequestNumbers.NextAsync(query, clock.GetUtcNow(), http.RequestAborted), body.Fields))))
            .Validated<SubmitRequestRequest>()
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .WithName("SubmitServiceRequest").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Submit a draft (with its answers as saved, or the fields given): every required field and document must be there (422 " +
                         "naming the first missing). It gets its number and due time, sent to the customer by their channel.");

        requests.MapPost("/{requestId:guid}/documents", async (Guid requestId, string? fileName, string? slot, HttpContext http, IQuerySession query,
                IDocumentSession session, IMessageBus bus, TimeProvider clock) =>
            {
                if (await RequestReads.VisibleAsync(query, http, requestId) is null)
                    return Problems.NotFound($"Service request {requestId}");
                var content = await BankStatements.BankStatementSetup.ReadBoundedAsync(http, UploadInspection.DefaultMaxBytes);
                if (content is null)
                    return Problems.Rule(new Rejection("document-too-large", $"A document is at most {UploadInspection.DefaultMaxBytes / (1024 * 1024)} MB.", "file"), 413);
                var (upload, refused) = UploadInspection.Inspect(fileName, content, UploadInspection.DefaultMaxBytes);
                if (refused is not null)
                    return Problems.Rule(refused, refused.Rule == "document-too-large" ? 413 : refused.Rule == "document-type-not-allowed" ? 415 : 422);
                // The bytes first, under their hash: bytes no event names are harmless, an event naming missing bytes is not.
                RequestDocuments.Keep(session, upload!.Sha256, content);
                await session.SaveChangesAsync(http.RequestAborted);
                return await WriteAsync(http, bus, query, new AttachDocument(requestId, Guid.CreateVersion7(), string.IsNullOrEmpty(slot) ? null : slot,
                    upload.FileName, upload.ContentType, upload.Length, upload.Sha256), created: true);
            })
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .RateLimited(RateLimitRule.Uploads)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(UploadInspection.DefaultMaxBytes))
            .Accepts<byte[]>("application/pdf", "image/jpeg", "image/png", "application/octet-stream")
            .WithName("AttachServiceRequestDocument").Produces<ServiceRequestView>(StatusCodes.Status201Created).Write(answers: false)
            .Refuses(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Upload a supporting document as the request body (fileName and slot — which of the type's documents it is — in the query). " +
                         "Checked by its content: PDF (must parse), JPEG or PNG only, at most 10 MB, a plain file name; kept under its SHA-256.");

        requests.MapGet("/{requestId:guid}/documents/{documentId:guid}", RequestFiles.Document)
            .RateLimited(RateLimitRule.Downloads)
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("GetServiceRequestDocument")
            .File("application/octet-stream")
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Download an attached document: always as an attachment, never rendered inline, with its SHA-256 as ETag.");

        requests.MapGet("/{requestId:guid}/proof", RequestFiles.Proof)
            .RateLimited(RateLimitRule.Downloads)
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead)
            .WithName("GetServiceRequestProof")
            .File(Answers.Pdf)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("The digitally signed PDF proof of what completing the request did (PAdES; verify it with any PDF reader or pdfsig).");

        MapDesk(requests);
        requests.MapRequestCompletion();
        app.MapRequestReports();
        app.MapFeedback();
    }

    private static void MapDesk(RouteGroupBuilder requests)
    {
        requests.MapPost("/{requestId:guid}/assignment", (Guid requestId, AssignRequestRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                WriteAsync(http, bus, query, new AssignRequest(requestId, body.Team!, string.IsNullOrWhiteSpace(body.Assignee) ? null : body.Assignee.Trim())))
            .Validated<AssignRequestRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("AssignServiceRequest").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Give the request to a team, and to a person in it (no assignee: the team's queue).");

        requests.MapPost("/{requestId:guid}/review", (Guid requestId, HttpContext http, IQuerySession query, IMessageBus bus) =>
                WriteAsync(http, bus, query, new StartReview(requestId)))
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("StartServiceRequestReview").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Take a received request into review.");

        requests.MapPost("/{requestId:guid}/information-requests", (Guid requestId, AskCustomerRequest body, HttpContext http, IQuerySession query,
                IMessageBus bus) => WriteAsync(http, bus, query, new AskCustomer(requestId, body.Message!, body.Documents)))
            .Validated<AskCustomerRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("AskServiceRequestCustomer").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Ask the customer for something (documents by the type's names, or information): the request waits for them and its " +
                         "clock stops until they answer; they are told by their channel.");

        requests.MapPost("/{requestId:guid}/answer", (Guid requestId, AnswerRequestRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                Guarded(http, query, requestId, () => WriteAsync(http, bus, query, new AnswerRequest(requestId, body.Message!))))
            .Validated<AnswerRequestRequest>()
            .RequireAuthorization(AccessPolicies.ServiceRequests)
            .WithName("AnswerServiceRequest").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("The customer's answer to what the desk asked (upload any documents asked for first): the clock runs again, with a new due time.");

        requests.MapPost("/{requestId:guid}/notes", (Guid requestId, TextRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                WriteAsync(http, bus, query, new WriteOnRequest(requestId, body.Text!, ToCustomer: false)))
            .Validated<TextRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("AddServiceRequestNote").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("An internal note for colleagues: never shown or sent to the customer.");

        requests.MapPost("/{requestId:guid}/messages", (Guid requestId, TextRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                WriteAsync(http, bus, query, new WriteOnRequest(requestId, body.Text!, ToCustomer: true)))
            .Validated<TextRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("MessageServiceRequestCustomer").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("A message to the customer, sent by their channel and shown with the request.");

        requests.MapPost("/{requestId:guid}/rejection", (Guid requestId, RejectRequestRequest body, HttpContext http, IQuerySession query, IMessageBus bus) =>
                WriteAsync(http, bus, query, new RejectRequest(requestId, body.Reason!)))
            .Validated<RejectRequestRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("RejectServiceRequest").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Close the request without doing it, with the reason the customer is told.");
    }

    /// <summary>The customer's own requests only (404 for another's, as for one that does not exist); staff any.</summary>
    internal static async Task<IResult> Guarded(HttpContext http, IQuerySession query, Guid requestId, Func<Task<IResult>> then) =>
        await RequestReads.VisibleAsync(query, http, requestId) is null ? Problems.NotFound($"Service request {requestId}") : await then();

    /// <summary>A write on a request and its answer: the request as it now stands (or the ProblemDetails of the refusal).</summary>
    internal static async Task<IResult> WriteAsync(HttpContext http, IMessageBus bus, IQuerySession query, IServiceRequestCommand command, bool created = false,
        DateTimeOffset? effectiveAt = null)
    {
        // A new request has no version to match: If-Match is for changing one that exists.
        var context = Writes.Context(http) with { EffectiveAt = effectiveAt };
        if (created && command is OpenDraft or SubmitRequest { Open: not null })
            context = context with { ExpectedVersion = null };
        if (Writes.BadIdempotencyKey(context) is { } refused)
            return refused;
        var outcome = await Writes.OnceAsync(bus, query, context, new WriteServiceRequest(command, context), command.RequestId, http.RequestAborted);
        if (outcome.Kind == OutcomeKind.NotFound || outcome.Rejection?.Rule == "request-not-found")
            return Problems.NotFound($"Service request {command.RequestId}");
        if (Writes.Refusal(outcome) is { } refusal)
        {
            if (outcome.Kind == OutcomeKind.Stale)
                http.Response.Headers.ETag = ETags.For(outcome.Version);
            return TypedResults.Problem(refusal);
        }
        return await ViewAsync(http, query, command.RequestId, created);
    }

    internal static async Task<IResult> ViewAsync(HttpContext http, IQuerySession query, Guid requestId, bool created = false)
    {
        await using var fresh = query.DocumentStore.QuerySession();
        var request = await fresh.LoadAsync<ServiceRequest>(requestId, http.RequestAborted);
        if (request is null)
            return Problems.NotFound($"Service request {requestId}");
        var events = await fresh.Events.FetchStreamAsync(requestId, token: http.RequestAborted);
        var policy = await RequestReads.PolicyAsync(fresh, http.RequestAborted);
        var view = ServiceRequestView.From(request, events, Actor.From(http.User), policy.Current.Calendar,
            http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        http.Response.Headers.ETag = ETags.For(request.Version);
        return created ? TypedResults.Created($"/api/service-requests/{requestId}", view) : TypedResults.Ok(view);
    }
}
