using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Marten;
using Ledger.Api.Infrastructure.Databases;

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
            var (open, total) = await query.DocumentStore.PageEveryDatabaseAsync(query,
                session => session.Query<Entry>().Where(e => e.Dispute != null && e.Dispute.Status == DisputeStatus.Open),
                entries => entries.OrderBy(e => e.Dispute!.OpenedAt).ThenBy(e => e.Id), OldestFirst, page ?? 1, pageSize ?? 50, http.RequestAborted);
            return Results.Ok(new PagedResult<DisputeQueueItem>(open.Select(e => new DisputeQueueItem(e.AccountId, EntryView.Of(e))).ToList(),
                page ?? 1, pageSize ?? 50, total));
        })
        .RequireAuthorization(AccessPolicies.Desk)
        .WithTags("Disputes")
        .WithName("ListOpenDisputes")
        .WithSummary("Open disputes across accounts, oldest first (the desk's queue).")
        .Produces<PagedResult<DisputeQueueItem>>();

    private static readonly IComparer<Entry> OldestFirst = Comparer<Entry>.Create((x, y) =>
        x.Dispute!.OpenedAt.CompareTo(y.Dispute!.OpenedAt) is var byTime and not 0 ? byTime : x.Id.CompareTo(y.Id));
}
