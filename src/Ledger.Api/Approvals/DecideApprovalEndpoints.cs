using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
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

public static class DecideApprovalEndpoints
{
    public static void Map(RouteGroupBuilder approvals)
    {
        approvals.MapPost("/{approvalId:guid}/approve", (Guid approvalId, ApproveRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Decide(http, bus, query, approvalId, approve: true, body.Note))
            .Validated<ApproveRequest>()
            .RequireAuthorization(AccessPolicies.Approvals)
            .WithName("ApproveRequest")
            .WithSummary("Approve a pending request (never your own): the credit or correction is applied now, recording requester and approver(s).");

        approvals.MapPost("/{approvalId:guid}/reject", (Guid approvalId, RejectRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Decide(http, bus, query, approvalId, approve: false, body.Reason))
            .Validated<RejectRequest>()
            .RequireAuthorization(AccessPolicies.Approvals)
            .WithName("RejectRequest")
            .WithSummary("Reject a pending request with a reason; the rejection is recorded as an event.");
    }

    private static async Task<IResult> Decide(HttpContext http, IMessageBus bus, IQuerySession query, Guid approvalId, bool approve, string? text)
    {
        var context = Writes.Context(http);
        var command = await CommandAsync(query, approvalId, approve, text, context, http.RequestAborted);
        return command is null ? Problems.NotFound($"Approval {approvalId}") : await Writes.SendAsync(http, bus, query, command, location: null, context);
    }

    /// <summary>The decision to send, or null when the request does not exist or is not the caller's to see.</summary>
    public static async Task<DecideApproval?> CommandAsync(
        IQuerySession query, Guid approvalId, bool approve, string? text, RequestContext context, CancellationToken ct)
    {
        var view = await query.LoadAsync<ApprovalView>(approvalId, ct);
        return view is null || !ApprovalQueries.Visible(view, context.Actor)
            ? null
            : new DecideApproval(view.AccountId, approvalId, approve, text, Guid.CreateVersion7());
    }
}
