using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Projections.Approvals;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Approvals;

public static class ApprovalQueries
{
    /// <summary>Managers and auditors see every request; a CSR sees their own and the customers' requests they may decide.</summary>
    public static bool Visible(ApprovalView view, Actor actor) =>
        actor.Role is Roles.Manager or Roles.Auditor
        || actor.Role == Roles.Csr && (view.RequestedBy == actor.UserId || view.RequestedRole == Roles.Customer);

    public static void Map(RouteGroupBuilder approvals)
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
                return Results.Ok(await ListAsync(query, Actor.From(http.User), wanted, accountId, page ?? 1, pageSize ?? 50, http.RequestAborted));
            })
            .RequireAuthorization(AccessPolicies.ApprovalQueue)
            .WithName("ListApprovals")
            .WithSummary("The approval queue across accounts (managers, auditors: all; CSRs: their own and customers' requests).")
            .Produces<PagedResult<ApprovalView>>();

        approvals.MapGet("/{approvalId:guid}", async (Guid approvalId, HttpContext http, IQuerySession query) =>
            {
                var view = await query.LoadAsync<ApprovalView>(approvalId, http.RequestAborted);
                return view is null || !Visible(view, Actor.From(http.User)) ? Problems.NotFound($"Approval {approvalId}") : Results.Ok(view);
            })
            .RequireAuthorization(AccessPolicies.ApprovalQueue)
            .WithName("GetApproval")
            .WithSummary("One request with its status, requester, exceeded limit, policy version and decision.")
            .Produces<ApprovalView>();
    }

    public static async Task<PagedResult<ApprovalView>> ListAsync(
        IQuerySession query, Actor actor, ApprovalStatus? status, Guid? accountId, int page, int pageSize, CancellationToken ct)
    {
        IQueryable<ApprovalView> views = query.Query<ApprovalView>();
        if (status is { } s) views = views.Where(v => v.Status == s);
        if (accountId is { } a) views = views.Where(v => v.AccountId == a);
        if (actor.Role == Roles.Csr)
        {
            var me = actor.UserId;
            views = views.Where(v => v.RequestedBy == me || v.RequestedRole == Roles.Customer);
        }
        // Oldest first: the queue is worked in the order requests arrived.
        var result = await views.OrderBy(v => v.RequestedAt).ToPagedListAsync(page, pageSize, ct);
        return new PagedResult<ApprovalView>(result.ToList(), page, pageSize, result.TotalItemCount);
    }

    public static void MapApprovals(this WebApplication app)
    {
        var approvals = app.MapGroup("/api/approvals").WithTags("Approvals");
        Map(approvals);
        DecideApprovalEndpoints.Map(approvals);
    }
}
