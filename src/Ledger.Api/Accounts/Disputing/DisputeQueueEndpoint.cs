using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Accounts.Disputing;

public sealed record DisputeQueueItem(Guid AccountId, EntryView Entry);

/// <summary>Disputes customers opened from self-service, across accounts, oldest first: the desk works them in order.</summary>
public static class DisputeQueueEndpoint
{
    public static void MapDisputeQueue(this WebApplication app) => app
        .MapGet("/api/disputes", async (int? page, int? pageSize, HttpContext http, IQuerySession query) =>
        {
            if (Paging.Check(page, pageSize) is { } bad)
                return Problems.Rule(bad, StatusCodes.Status400BadRequest);
            var open = await query.Query<Entry>()
                .Where(e => e.Dispute != null && e.Dispute.Status == DisputeStatus.Open)
                .OrderBy(e => e.Dispute!.OpenedAt)
                .ToPagedListAsync(page ?? 1, pageSize ?? 50, http.RequestAborted);
            return Results.Ok(new PagedResult<DisputeQueueItem>(open.Select(e => new DisputeQueueItem(e.AccountId, EntryView.Of(e))).ToList(),
                page ?? 1, pageSize ?? 50, open.TotalItemCount));
        })
        .RequireAuthorization(AccessPolicies.Desk)
        .WithTags("Disputes")
        .WithName("ListOpenDisputes")
        .WithSummary("Open disputes across accounts, oldest first (the desk's queue).")
        .Produces<PagedResult<DisputeQueueItem>>();
}
