using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Approvals;
using Ledger.Projections.Approvals;
using Marten;
using Wolverine;

namespace Ledger.Api.Approvals;

public sealed record ApproveRequest(string? Note)
{
    /// <summary>The decision a valid request asks for on <paramref name="request"/> (the API's and the queue page's alike).</summary>
    public DecideApproval ToCommand(ApprovalView request) => new(request.AccountId, request.Id, Approve: true, Note, Ledger.Domain.Buckets.NewIdBeside(request.AccountId));
}

public sealed record RejectRequest(string? Reason)
{
    /// <summary>The decision a valid request asks for on <paramref name="request"/> (the API's and the queue page's alike).</summary>
    public DecideApproval ToCommand(ApprovalView request) => new(request.AccountId, request.Id, Approve: false, Reason, Ledger.Domain.Buckets.NewIdBeside(request.AccountId));
}

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
                Decide(http, bus, query, approvalId, body.ToCommand))
            .Validated<ApproveRequest>()
            .RequireAuthorization(AccessPolicies.Approvals)
            .WithName("ApproveRequest").Write(created: false, mayAwaitApproval: true)
            .WithSummary("Approve a pending request (never your own): the credit or correction is applied now, recording requester and approver(s).");

        approvals.MapPost("/{approvalId:guid}/reject", (Guid approvalId, RejectRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Decide(http, bus, query, approvalId, body.ToCommand))
            .Validated<RejectRequest>()
            .RequireAuthorization(AccessPolicies.Approvals)
            .WithName("RejectRequest").Write(created: false)
            .WithSummary("Reject a pending request with a reason; the rejection is recorded as an event.");
    }

    private static async Task<IResult> Decide(HttpContext http, IMessageBus bus, IQuerySession query, Guid approvalId,
        Func<ApprovalView, DecideApproval> decision)
    {
        var context = Writes.Context(http);
        var request = await ApprovalQueries.FindAsync(query, approvalId, context.Actor, http.RequestAborted);
        return request is null ? Problems.NotFound($"Approval {approvalId}") : await Writes.SendAsync(http, bus, query, decision(request), location: null, context);
    }
}
