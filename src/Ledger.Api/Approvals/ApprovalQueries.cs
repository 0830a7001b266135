using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Projections.Approvals;
using Marten;
using Ledger.Api.Infrastructure.Databases;

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
        IQueryable<ApprovalView> Filtered(IQuerySession session)
        {
            IQueryable<ApprovalView> views = session.Query<ApprovalView>();
            if (status is { } s) views = views.Where(v => v.Status == s);
            if (accountId is { } a) views = views.Where(v => v.AccountId == a);
            if (actor.Role == Roles.Csr)
            {
                var me = actor.UserId;
                views = views.Where(v => v.RequestedBy == me || v.RequestedRole == Roles.Customer);
            }
            return views;
        }
        // Oldest first: the queue is worked in the order requests arrived (with several databases, merged in that order).
        var (items, total) = await query.DocumentStore.PageEveryDatabaseAsync(query, Filtered, views => views.OrderBy(v => v.RequestedAt).ThenBy(v => v.Id),
            OldestFirst, page, pageSize, ct);
        return new PagedResult<ApprovalView>(items, page, pageSize, total);
    }

    private static readonly IComparer<ApprovalView> OldestFirst = Comparer<ApprovalView>.Create((x, y) =>
        x.RequestedAt.CompareTo(y.RequestedAt) is var byTime and not 0 ? byTime : x.Id.CompareTo(y.Id));
}
