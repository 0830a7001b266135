using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.Categorizing;

public sealed record CategoryTotal(string Category, int Entries, decimal Total);

public sealed record CategoryTotals(Guid AccountId, DateTimeOffset? From, DateTimeOffset? To, string Currency, IReadOnlyList<CategoryTotal> Categories);

public static class CategoryTotalsEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapGet("/{accountId:guid}/category-totals", async (Guid accountId, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, IQuerySession query) =>
        {
            if (from > to)
                return Problems.Rule(new Rejection("range-inverted", "'from' must not be after 'to'.", "from"), 400);
            if (await AccountAccess.VisibleAsync(query, http, accountId) is not { } account)
                return Problems.NotFound($"Account {accountId}");
            return Results.Ok(await TotalsAsync(query, account, from, to, http.RequestAborted));
        })
        .RequireAuthorization(AccessPolicies.ReadAccounts)
        .WithName("GetCategoryTotals")
        .WithSummary("Charges (net of corrections) per category for a period, using the customer's own categories where set.")
        .Produces<CategoryTotals>();

    public static async Task<CategoryTotals> TotalsAsync(IQuerySession query, Account account, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        IQueryable<Entry> charges = query.Query<Entry>().Where(e => e.AccountId == account.Id && e.Kind == EntryKind.Charge);
        if (from is { } f) charges = charges.Where(e => e.Date >= f);
        if (to is { } t) charges = charges.Where(e => e.Date <= t);
        var rows = await charges.Select(e => new { e.CustomerCategory, e.Category, e.Remaining }).ToListAsync(ct);
        // Charges net of their corrections, under the customer's own category where they set one.
        var totals = rows.GroupBy(r => r.CustomerCategory ?? r.Category ?? "uncategorized")
            .Select(g => new CategoryTotal(g.Key, g.Count(), g.Sum(r => r.Remaining)))
            .OrderByDescending(c => c.Total).ThenBy(c => c.Category).ToList();
        return new CategoryTotals(account.Id, from, to, account.Currency, totals);
    }
}
