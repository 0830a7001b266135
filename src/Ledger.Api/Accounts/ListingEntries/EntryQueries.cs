using Ledger.Api.Accounts.GettingDetails;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Accounts.ListingEntries;

/// <summary>An account's line items, for the API's entries endpoints and the portal's pages alike.</summary>
public static class EntryQueries
{
    private static readonly string[] Sorts = ["date", "-date", "amount", "-amount"];

    /// <summary>One page of an account's line items (the caller has checked the filter and that the account is visible).</summary>
    public static async Task<PagedResult<EntryView>> ListAsync(IQuerySession query, Guid accountId, EntryFilter filter, CancellationToken ct)
    {
        var page = filter.Page ?? 1;
        var size = filter.PageSize ?? 50;
        var result = await Apply(query.Query<Entry>().Where(e => e.AccountId == accountId), filter).ToPagedListAsync(page, size, ct);
        return new PagedResult<EntryView>(result.Select(EntryView.Of).ToList(), page, size, result.TotalItemCount);
    }

    /// <summary>The entry if it is one of this account's, else null (the caller has checked that the account is visible).</summary>
    public static async Task<Entry?> FindAsync(IQuerySession query, Guid accountId, Guid entryId, CancellationToken ct) =>
        await query.LoadAsync<Entry>(entryId, ct) is { } entry && entry.AccountId == accountId ? entry : null;

    public static Rejection? Check(EntryFilter f) =>
        Paging.Check(f.Page, f.PageSize)
        ?? (f.Sort is not null && !Sorts.Contains(f.Sort)
            ? new Rejection("sort-unknown", $"'sort' is one of {string.Join(", ", Sorts)}.", "sort") : null)
        ?? (f.Type is not null && !Enum.TryParse<EntryKind>(f.Type, ignoreCase: true, out _)
            ? new Rejection("type-unknown", "'type' is one of charge, payment, credit, refund.", "type") : null)
        ?? (f.From > f.To ? new Rejection("range-inverted", "'from' must not be after 'to'.", "from") : null)
        ?? (f.MinAmount > f.MaxAmount ? new Rejection("range-inverted", "'minAmount' must not exceed 'maxAmount'.", "minAmount") : null)
        ?? SearchText.Check(f.Q, "q")
        ?? (f.Category is { Length: > 50 } ? new Rejection("too-long", "'category' is at most 50 characters.", "category") : null)
        ?? SearchText.Check(f.Category, "category");

    private static IQueryable<Entry> Apply(IQueryable<Entry> entries, EntryFilter f)
    {
        if (f.From is { } from) entries = entries.Where(e => e.Date >= from);
        if (f.To is { } to) entries = entries.Where(e => e.Date <= to);
        if (f.Type is not null && Enum.TryParse<EntryKind>(f.Type, true, out var kind)) entries = entries.Where(e => e.Kind == kind);
        if (!string.IsNullOrWhiteSpace(f.Category))
        {
            var c = f.Category.Trim().ToLowerInvariant();
            entries = entries.Where(e => e.Category == c || e.CustomerCategory == c);
        }
        if (f.MinAmount is { } min) entries = entries.Where(e => e.OriginalAmount >= min);
        if (f.MaxAmount is { } max) entries = entries.Where(e => e.OriginalAmount <= max);
        if (!string.IsNullOrWhiteSpace(f.Q)) { var q = f.Q.Trim(); entries = entries.Where(e => e.Description.Contains(q, StringComparison.OrdinalIgnoreCase)); }
        return f.Sort switch
        {
            "amount" => entries.OrderBy(e => e.OriginalAmount).ThenBy(e => e.Date),
            "-amount" => entries.OrderByDescending(e => e.OriginalAmount).ThenByDescending(e => e.Date),
            "date" => entries.OrderBy(e => e.Date).ThenBy(e => e.Id),
            _ => entries.OrderByDescending(e => e.Date).ThenByDescending(e => e.Id),
        };
    }
}
