using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Projections.Approvals;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Approvals;

/// <summary>The approval queue as its caller may see it, for the API and the portal's queue alike.</summary>
public static class ApprovalQueries
{
    /// <summary>Managers and auditors see every request; a CSR sees their own and the customers' requests they may decide.</summary>
    public static bool Visible(ApprovalView view, Actor actor) =>
        actor.Role is Roles.Manager or Roles.Auditor
        || actor.Role == Roles.Csr && (view.RequestedBy == actor.UserId || view.RequestedRole == Roles.Customer);

    /// <summary>One request, or null when it does not exist or is not the actor's to see.</summary>
    public static async Task<ApprovalView?> FindAsync(IQuerySession query, Guid approvalId, Actor actor, CancellationToken ct) =>
        await query.LoadAsync<ApprovalView>(approvalId, ct) is { } view && Visible(view, actor) ? view : null;

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
}
