using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Limits;
using Ledger.Api.Notifications;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Projections.Approvals;
using Marten;
using Wolverine;

namespace Ledger.Api.Approvals;

public sealed record ApproveRequest(string? Note);

public sealed record RejectRequest(string? Reason);

public sealed class ApproveValidator : AbstractValidator<ApproveRequest>
{
    public ApproveValidator() => RuleFor(r => r.Note).MaximumLength(500);
}

public sealed class RejectValidator : AbstractValidator<RejectRequest>
{
    public RejectValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

/// <summary>Approve (<see cref="Approve"/> true) or reject a request. Runs on the account's stream, so two deciders are serialized and the second sees it decided.</summary>
public sealed record DecideApprovalMessage(Guid AccountId, Guid ApprovalId, bool Approve, string? Text, Guid AppliedId, RequestContext Context) : IAccountMessage;

public static class DecideApprovalHandler
{
    public static async Task<(CommandOutcome, OutgoingMessages)> Handle(DecideApprovalMessage message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var now = message.Context.Now(clock);
        var authority = new PostingAuthority(session, message.Context.Actor, now);
        Decision? decided = null;
        var (outcome, notices) = await NotifyingWrites.ApplyAsync(session, message.Context, message.AccountId, message.Approve ? message.AppliedId : message.ApprovalId,
            async (account, query, token) =>
            {
                // Only a CSR granting a customer's credit draws on an allowance (see DecidingApprovals.Approve).
                var limits = await authority.LoadAsync(token, drawsOnAllowance: message.Approve && authority.Poster.Role == Poster.Csr);
                if (!message.Approve)
                    return DecidingApprovals.Reject(account, message.ApprovalId, authority.Poster, limits.Policy, message.Text ?? "", now);
                var entryId = account.PendingApprovals.GetValueOrDefault(message.ApprovalId)?.EntryId;
                var entry = entryId is { } id ? await query.LoadAsync<Entry>(id, token) : null;
                return decided = DecidingApprovals.Approve(account, entry, message.ApprovalId, authority.Poster, limits, message.Text, message.AppliedId, now);
            },
            clock, ct);
        if (outcome.Kind == OutcomeKind.Applied && decided is not null)
            authority.Record(decided, message.AccountId, message.AppliedId);
        return (outcome, notices);
    }
}

public static class DecideApprovalEndpoints
{
    public static void Map(RouteGroupBuilder approvals)
    {
        approvals.MapPost("/{approvalId:guid}/approve", (Guid approvalId, ApproveRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Decide(http, bus, query, approvalId, approve: true, body.Note))
            .Validated<ApproveRequest>()
            .RequireAuthorization(Policies.Approvals)
            .WithName("ApproveRequest")
            .WithSummary("Approve a pending request (never your own): the credit or correction is applied now, recording requester and approver(s).");

        approvals.MapPost("/{approvalId:guid}/reject", (Guid approvalId, RejectRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Decide(http, bus, query, approvalId, approve: false, body.Reason))
            .Validated<RejectRequest>()
            .RequireAuthorization(Policies.Approvals)
            .WithName("RejectRequest")
            .WithSummary("Reject a pending request with a reason; the rejection is recorded as an event.");
    }

    private static async Task<IResult> Decide(HttpContext http, IMessageBus bus, IQuerySession query, Guid approvalId, bool approve, string? text)
    {
        var message = await MessageAsync(query, approvalId, approve, text, Writes.Context(http), http.RequestAborted);
        return message is null ? Problems.NotFound($"Approval {approvalId}") : await Writes.SendAsync(http, bus, query, message, location: null);
    }

    /// <summary>The decision to send, or null when the request does not exist or is not the caller's to see.</summary>
    public static async Task<DecideApprovalMessage?> MessageAsync(
        IQuerySession query, Guid approvalId, bool approve, string? text, RequestContext context, CancellationToken ct)
    {
        var view = await query.LoadAsync<ApprovalView>(approvalId, ct);
        return view is null || !ApprovalQueries.Visible(view, context.Actor)
            ? null
            : new DecideApprovalMessage(view.AccountId, approvalId, approve, text, Guid.CreateVersion7(), context);
    }
}
