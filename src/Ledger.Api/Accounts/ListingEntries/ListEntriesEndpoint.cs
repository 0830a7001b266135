using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.ListingEntries;

/// <summary>A line item with its corrections folded in: what was posted, what is left, and the links between them.</summary>
public sealed record EntryView(
    Guid EntryId, string Type, DateTimeOffset Date, decimal Amount, decimal CorrectedAmount, string Description, string? Category,
    string? CustomerCategory, IReadOnlyList<CorrectionLink> Corrections, DisputeLink? Dispute, IReadOnlyList<ReversalLink> Reversals)
{
    public static EntryView Of(Entry e) => new(e.Id, e.Kind.ToString().ToLowerInvariant(), e.Date, e.OriginalAmount, e.Remaining,
        e.Description, e.Category, e.CustomerCategory, e.Corrections, e.Dispute, e.Reversals);
}

public sealed record EntryFilter(
    int? Page, int? PageSize, string? Sort, DateTimeOffset? From, DateTimeOffset? To, string? Type, string? Category,
    decimal? MinAmount, decimal? MaxAmount, string? Q);

public static class ListEntriesEndpoint
{
    public static void Map(RouteGroupBuilder accounts)
    {
        accounts.MapGet("/{accountId:guid}/entries", async (Guid accountId, [AsParameters] EntryFilter filter, HttpContext http, IQuerySession query) =>
            {
                if (EntryQueries.Check(filter) is { } bad)
                    return Problems.Rule(bad, StatusCodes.Status400BadRequest);
                if (await AccountAccess.VisibleAsync(query, http, accountId) is null)
                    return Problems.NotFound($"Account {accountId}");

                return Results.Ok(await EntryQueries.ListAsync(query, accountId, filter, http.RequestAborted));
            })
            .RequireAuthorization(AccessPolicies.ReadAccounts)
            .WithName("ListEntries")
            .WithSummary("Line items, filtered (date range, type, category, amount range, text), sorted (date, -date, amount, -amount) and paged.")
            .Produces<PagedResult<EntryView>>();

        accounts.MapGet("/{accountId:guid}/entries/{entryId:guid}", async (Guid accountId, Guid entryId, HttpContext http, IQuerySession query) =>
            {
                var account = await AccountAccess.VisibleAsync(query, http, accountId);
                var entry = await EntryQueries.FindAsync(query, accountId, entryId, http.RequestAborted);
                return account is null || entry is null
                    ? Problems.NotFound($"Entry {entryId}")
                    : Results.Ok(EntryView.Of(entry));
            })
            .RequireAuthorization(AccessPolicies.ReadAccounts)
            .WithName("GetEntry")
            .WithSummary("One line item with its corrections and dispute.")
            .Produces<EntryView>();
    }
}
