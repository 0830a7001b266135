using System.Globalization;
using System.Security.Cryptography;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Refunding;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Notifications.Delivering;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Disputing;
using Ledger.Domain.Accounts.Lifecycle;
using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Notifications;
using Ledger.Domain.ServiceRequests;
using Ledger.Projections.Approvals;
using Ledger.Projections.Statements;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// Complete a request: <see cref="Resolution"/> is what the customer is told. A billing query with an open dispute is
/// decided with <see cref="DisputeOutcome"/> (upheld or rejected); a refund over the completer's limits may carry a manager's
/// <see cref="OverrideReason"/>.
/// </summary>
public sealed record CompleteRequestRequest(string? Resolution, string? DisputeOutcome, string? OverrideReason);

public sealed class CompleteRequestValidator : AbstractValidator<CompleteRequestRequest>
{
    public CompleteRequestValidator()
    {
        RuleFor(r => r.Resolution).NotEmpty().MaximumLength(2000);
        RuleFor(r => r.DisputeOutcome).Must(o => o is null or "upheld" or "rejected").WithMessage("'disputeOutcome' is upheld or rejected.");
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public sealed record FeedbackRequest(int? Rating, string? Comment);

public sealed class FeedbackValidator : AbstractValidator<FeedbackRequest>
{
    public FeedbackValidator()
    {
        RuleFor(r => r.Rating).NotNull().InclusiveBetween(1, 5);
        RuleFor(r => r.Comment).MaximumLength(2000);
    }
}

/// <summary>What a feedback link shows before it is used: which request, and whether feedback was already given.</summary>
public sealed record FeedbackInvitation(string Number, string Type, bool Given);

/// <summary>Open the dispute a billing query asked for (cascaded from its submission, durable).</summary>
public sealed record OpenRequestDispute(Guid RequestId, Guid AccountId, Guid EntryId, string Reason, RequestContext Context);

public static class OpenRequestDisputeHandler
{
    public static async Task Handle(OpenRequestDispute message, GroupCommit writer, IMessageBus bus, CancellationToken ct)
    {
        var disputeId = DeterministicId.From($"service-request-dispute|{message.RequestId}");
        var outcome = await writer.WriteAsync(new AccountWrite(new DisputeCharge(message.AccountId, disputeId, message.EntryId, message.Reason),
            message.Context with { ExpectedVersion = null, IdempotencyKey = null }), ct);
        // A charge already disputed, a payment, an entry of another account: the desk sees the query without a dispute and answers it.
        if (outcome.Kind == OutcomeKind.Applied)
            await bus.InvokeAsync<CommandOutcome>(new WriteServiceRequest(new LinkDispute(message.RequestId, message.EntryId, disputeId),
                RequestTimers.Context(message.RequestId)), ct);
    }
}

/// <summary>The single-use feedback links of completion notices: Data Protection's encryption of the request id, stored nowhere.</summary>
public sealed class FeedbackLinks(IDataProtectionProvider protection, IConfiguration configuration)
{
    public const string PortalPath = "/portal/feedback";
    public static readonly Actor LinkHolder = new("feedback-link", "link-holder", Channel.SelfService, null);
    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("ledger.service-request-feedback.v1").ToTimeLimitedDataProtector();

    public string LinkFor(Guid requestId, DateTimeOffset completedAt) =>
        $"{(configuration["Ledger:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/')}{PortalPath}?token={_protector.Protect(requestId.ToString("N"), completedAt.AddDays(90))}";

    public Guid? RequestFor(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1_000)
            return null;
        try
        {
            return Guid.TryParseExact(_protector.Unprotect(token), "N", out var id) ? id : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}

public static class Completing
{
    public static void MapRequestCompletion(this RouteGroupBuilder requests)
    {
        requests.MapPost("/{requestId:guid}/completion", Complete)
            .Validated<CompleteRequestRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithName("CompleteServiceRequest").Produces<ServiceRequestView>().Write(answers: false)
            .WithSummary("Complete the request: the change it asks for is made through the ledger's own command, with its rules, limits and " +
                         "approvals (an address or name change: the profile; a refund: the refund flow — over the completer's limits it waits for " +
                         "a manager's approval (awaitingApproval in the answer) and is completed again once approved; a statement copy: a letter with the bill exactly as " +
                         "issued; a billing query: the dispute's decision; a closure: the closure rules). Then the customer gets the completion " +
                         "notice with a digitally signed PDF proof and a feedback link. A refusal of the ledger's command is answered as it is, " +
                         "and the request stays open.");
    }

    public static void MapFeedback(this WebApplication app)
    {
        var feedback = app.MapGroup("/api/service-request-feedback").WithTags("Service requests");
        feedback.MapGet("/{token}", async (string token, FeedbackLinks links, IQuerySession query, HttpContext http) =>
                links.RequestFor(token) is { } id && await query.LoadAsync<ServiceRequest>(id, http.RequestAborted) is { Status: RequestStatus.Resolved } request
                    ? Results.Ok(new FeedbackInvitation(request.Number!, request.TypeCode, request.Rating is not null))
                    : Problems.NotFound("This feedback link"))
            .AllowAnonymous()
            .WithName("GetServiceRequestFeedbackInvitation").Produces<FeedbackInvitation>().Refuses(StatusCodes.Status404NotFound)
            .WithSummary("What a feedback link is for (no sign-in: the link is the credential).");

        feedback.MapPost("/{token}", async (string token, FeedbackRequest body, FeedbackLinks links, HttpContext http, IQuerySession query,
                IMessageBus bus) =>
            {
                if (links.RequestFor(token) is not { } id)
                    return Problems.NotFound("This feedback link");
                var context = Writes.Context(http, FeedbackLinks.LinkHolder) with { IdempotencyKey = null };
                var outcome = await bus.InvokeAsync<CommandOutcome>(new WriteServiceRequest(new GiveFeedback(id, body.Rating!.Value, body.Comment), context),
                    http.RequestAborted);
                if (outcome.Rejection?.Rule == "request-not-found")
                    return Problems.NotFound("This feedback link");
                return Writes.Refusal(outcome) is { } refused ? TypedResults.Problem(refused) : Results.NoContent();
            })
            .Validated<FeedbackRequest>()
            .AllowAnonymous()
            .WithName("GiveServiceRequestFeedback").Produces(StatusCodes.Status204NoContent).Write(answers: false, ifMatch: false, eTag: false)
            .WithSummary("A rating (1 to 5) and a comment on a completed request, through the link in its completion notice; the link works once (409 after).");
    }

    private static async Task<IResult> Complete(Guid requestId, CompleteRequestRequest body, HttpContext http, IQuerySession query, IMessageBus bus,
        ProofOfCompletion proofs, TimeProvider clock)
    {
        var step = await CompleteAsync(requestId, body, Writes.Context(http), query, bus, proofs, clock, http.RequestAborted);
        if (step.Refused is { } refused)
        {
            if (step.CurrentVersion is { } version)
                http.Response.Headers.ETag = ETags.For(version);
            return TypedResults.Problem(refused);
        }
        return await RequestEndpoints.WriteAsync(http, bus, query, step.Then!, effectiveAt: step.EffectiveAt);
    }

    /// <summary>
    /// Completing, up to the write on the request: the ledger's command applied (or parked for approval) and the signed proof
    /// stored, then what to append to the request — or the refusal as the API answers it. The API's endpoint and the desk's
    /// portal page both write <see cref="CompletionStep.Then"/> through the request's one write path.
    /// </summary>
    public static async Task<CompletionStep> CompleteAsync(Guid requestId, CompleteRequestRequest body, RequestContext context, IQuerySession query,
        IMessageBus bus, ProofOfCompletion proofs, TimeProvider clock, CancellationToken ct)
    {
        if (await query.LoadAsync<ServiceRequest>(requestId, ct) is not { } request)
            return CompletionStep.NotFound($"Service request {requestId}");
        if (context.ExpectedVersion is { } expected && expected != request.Version)
            return new CompletionStep(null, null, Writes.Refusal(CommandOutcome.Stale(requestId, request.Version)), request.Version);
        // Refused before anything is asked of the ledger: the request must be in review (or received), not closed or waiting.
        var check = new ResolveRequest(requestId, body.Resolution!, "", null, null).Decide(request, new RequestFacts(clock.GetUtcNow(),
            new Domain.Approvals.Poster(context.Actor.UserId, context.Actor.Role), ServiceRequestPolicy.Default, null));
        if (check.Rejection is { } notNow)
            return CompletionStep.Refusal(notNow, notNow.IsConflict ? 409 : 422);
        var type = await query.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(request.TypeCode), ct);
        var action = type?.Current.Action ?? ServiceAction.None;
        await using var accountQuery = query.DocumentStore.QueryFor(request.AccountId);
        if (await accountQuery.LoadAsync<Account>(request.AccountId, ct) is not { } account)
            return CompletionStep.NotFound($"Account {request.AccountId}");

        // The ledger's command, as the person completing it (their limits), once: a retry replays the first answer.
        // The key names the account's version, so a completion refused by the ledger (a balance to settle first) can be tried again
        // once the account changed; what a first attempt already did is recognised by the account's state below, never done twice.
        var ledger = context with
        {
            ExpectedVersion = null, IdempotencyKey = $"service-request-{requestId:N}-completion-{account.Version}", RequestHash = $"completion|{request.Version}",
        };
        var fields = request.Fields;
        string F(string name) => fields.GetValueOrDefault(name) ?? "";
        (string Applied, Guid? Id)? done = null;
        IAccountCommand? command = null;
        switch (action)
        {
            case ServiceAction.ChangeAddress:
                var address = new Address(F("line1"), string.IsNullOrEmpty(F("line2")) ? null : F("line2"), F("city"), F("postalCode"), F("country"));
                command = address == account.Address ? null : new ChangeProfile(account.Id, account.HolderName, address);
                done = ("profile-changed", account.Id);
                break;
            case ServiceAction.ChangeHolderName:
                command = F("holderName") == account.HolderName ? null : new ChangeProfile(account.Id, F("holderName"), account.Address);
                done = ("profile-changed", account.Id);
                break;
            case ServiceAction.CloseAccount:
                command = account.Status == AccountStatus.Closed ? null
                    : new ChangeAccountStatus(account.Id, LifecycleAction.Close, $"Service request {request.Number}: {F("reason")}");
                done = ("account-closed", account.Id);
                break;
            case ServiceAction.BillingQuery when request.DisputeId is { } disputeId
                                                 && await accountQuery.LoadAsync<Entry>(Guid.Parse(F("entryId")), ct) is { } entry
                                                 && entry.Dispute is { Status: DisputeStatus.Open } open && open.DisputeId == disputeId:
                if (body.DisputeOutcome is null)
                    return CompletionStep.Refusal(new Rejection("dispute-outcome-required",
                        "The query opened a dispute that is still open: decide it with 'disputeOutcome' (upheld or rejected).", "disputeOutcome"));
                command = new ResolveDispute(account.Id, entry.Id, disputeId, body.DisputeOutcome == "upheld" ? DisputeOutcome.Upheld : DisputeOutcome.Rejected,
                    body.Resolution!);
                done = ($"dispute-{body.DisputeOutcome}", disputeId);
                break;
            case ServiceAction.BillingQuery:
                done = ("answered", null);
                break;
            case ServiceAction.StatementCopy:
                if (!Guid.TryParse(F("statementId"), out var statementId)
                    || await accountQuery.LoadAsync<StatementView>(statementId, ct) is not { } bill || bill.AccountId != account.Id)
                    return CompletionStep.Refusal(new Rejection("statement-unknown", "The request names no bill of this account.", "fields.statementId"));
                var to = new NoticeRecipient(NoticeChannel.Paper, account.HolderName, null, account.Address);
                var letter = new Notice(DeterministicId.From($"notice|statement-copy|{requestId}"), NoticeKind.StatementCopy, account.Id, account.AccountNumber,
                    request.Version, to, account.Currency, bill.Content.AmountDue, request.Number, $"{bill.Content.PeriodStart:yyyy-MM-dd} to {bill.Content.PeriodEnd:yyyy-MM-dd}",
                    clock.GetUtcNow(), bill.Id, bill.DocumentSha256, bill.Content.DueDate) { RequestId = requestId };
                await bus.PublishAsync(new DeliverNotice(letter));
                done = ("statement-copy-posted", letter.NoticeId);
                break;
            case ServiceAction.RefundCreditBalance:
                if (request.AwaitingApproval is { } approvalId && await accountQuery.LoadAsync<ApprovalView>(approvalId, ct) is { } approval)
                {
                    if (approval.Status == ApprovalStatus.Pending)
                        return CompletionStep.Refusal(new Rejection("approval-pending", $"The refund waits for approval {approvalId}; complete the request once it is decided.",
                            IsConflict: true, Reference: approvalId), 409);
                    if (approval.Status == ApprovalStatus.Approved)
                    {
                        done = ("refund-issued", approval.AppliedId);
                        break;
                    }
                }
                var reason = $"Service request {request.Number}";
                if (await accountQuery.Query<Projections.Payments.RefundView>().FirstOrDefaultAsync(
                        r => r.AccountId == account.Id && r.Reason == reason && r.Status != "failed", ct) is { } already)
                {
                    done = ("refund-issued", already.Id);
                    break;
                }
                var refund = new IssueRefundRequest(decimal.Parse(F("amount"), CultureInfo.InvariantCulture), reason,
                    string.IsNullOrEmpty(F("iban")) ? null : F("iban"), string.IsNullOrWhiteSpace(body.OverrideReason) ? null : body.OverrideReason);
                command = await refund.ToCommandAsync(accountQuery, account.Id, ct);
                done = ("refund-issued", null);
                break;
            default:
                done = ("nothing", null);
                break;
        }
        if (command is not null)
        {
            var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command, ledger), ct);
            if (Writes.Refusal(outcome) is { } refused)
                return new CompletionStep(null, null, refused);
            if (outcome.Kind == OutcomeKind.Pending)
                return new CompletionStep(new AwaitApproval(requestId, outcome.ResourceId!.Value), null, null);
            if (action == ServiceAction.RefundCreditBalance)
                done = done!.Value with { Id = outcome.ResourceId };
        }

        var now = clock.GetUtcNow();
        var proof = proofs.Render(ProofOfCompletion.For(request, account, type?.Current.Name ?? request.TypeCode, body.Resolution!.Trim(), done!.Value.Applied,
            done.Value.Id, now, context.Actor.UserId));
        var sha = Statements.Rendering.StatementRenderer.Sha256(proof);
        await using (var session = query.DocumentStore.LightweightSession())
        {
            RequestDocuments.Keep(session, sha, proof);
            await session.SaveChangesAsync(ct);
        }
        return new CompletionStep(new ResolveRequest(requestId, body.Resolution!, done.Value.Applied, done.Value.Id, sha), now, null);
    }
}

/// <summary>
/// Where completing got to: <see cref="Then"/> is what to append to the request (its resolution, at <see cref="EffectiveAt"/>, or
/// that it awaits an approval), or <see cref="Refused"/> says why not, as the API answers (<see cref="CurrentVersion"/>: the
/// request's version when an If-Match no longer matched).
/// </summary>
public sealed record CompletionStep(IServiceRequestCommand? Then, DateTimeOffset? EffectiveAt, Microsoft.AspNetCore.Mvc.ProblemDetails? Refused,
    long? CurrentVersion = null)
{
    public static CompletionStep Refusal(Rejection rejection, int status = StatusCodes.Status422UnprocessableEntity) =>
        new(null, null, Problems.Describe(rejection, status));

    public static CompletionStep NotFound(string what) =>
        Refusal(new Rejection("not-found", $"{what} does not exist or is not visible to you."), StatusCodes.Status404NotFound);
}
