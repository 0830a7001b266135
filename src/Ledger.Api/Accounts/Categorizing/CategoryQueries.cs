using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.Categorizing;

/// <summary>What an account was charged per category, for the API and the portal's overview alike.</summary>
public static class CategoryQueries
{
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
