using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Projections.Approvals;
using Marten;

namespace Ledger.Api.Approvals;

public static class ApprovalQueueEndpoints
{
    /// <summary>Every route under /api/approvals: the queue here, the decisions in <see cref="DecideApprovalEndpoints"/>.</summary>
    public static void MapApprovals(this WebApplication app)
    {
        var approvals = app.MapGroup("/api/approvals").WithTags("Approvals");
        Map(approvals);
        DecideApprovalEndpoints.Map(approvals);
    }

    private static void Map(RouteGroupBuilder approvals)
    {
        approvals.MapGet("/", async (string? status, Guid? accountId, int? page, int? pageSize, HttpContext http, IQuerySession query) =>
            {
                if (Paging.Check(page, pageSize) is { } bad)
                    return Problems.Rule(bad, StatusCodes.Status400BadRequest);
                ApprovalStatus? wanted = null;
                if (status is not null)
                {
                    if (!Enum.TryParse<ApprovalStatus>(status, ignoreCase: true, out var parsed))
                        return Problems.Rule(new Rejection("status-unknown", "'status' is one of pending, approved, rejected, expired.", "status"), 400);
                    wanted = parsed;
                }
                return Results.Ok(await ApprovalQueries.ListAsync(query, Actor.From(http.User), wanted, accountId, page ?? 1, pageSize ?? 50,
                    http.RequestAborted));
            })
            .RequireAuthorization(AccessPolicies.ApprovalQueue)
            .WithName("ListApprovals")
            .WithSummary("The approval queue across accounts (managers, auditors: all; CSRs: their own and customers' requests).")
            .Produces<PagedResult<ApprovalView>>();

        approvals.MapGet("/{approvalId:guid}", async (Guid approvalId, HttpContext http, IQuerySession query) =>
                await ApprovalQueries.FindAsync(query, approvalId, Actor.From(http.User), http.RequestAborted) is { } view
                    ? Results.Ok(view)
                    : Problems.NotFound($"Approval {approvalId}"))
            .RequireAuthorization(AccessPolicies.ApprovalQueue)
            .WithName("GetApproval")
            .WithSummary("One request with its status, requester, exceeded limit, policy version and decision.")
            .Produces<ApprovalView>();
    }
}
