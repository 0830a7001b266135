using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;
using Marten;

namespace Ledger.Api.Corporate;

/// <summary>What one member account spent in one month on one category of charge.</summary>
public sealed record SpendItem(Guid AccountId, string Month, string Category, decimal Spend);

/// <summary>The member accounts found (their currency, number and holder) and what they spent, by month and category.</summary>
public sealed record SpendDetail(IReadOnlyDictionary<Guid, Account> Accounts, IReadOnlyList<SpendItem> Items)
{
    private readonly Dictionary<(Guid, string), decimal> _byMonth =
        Items.GroupBy(i => (i.AccountId, i.Month)).ToDictionary(g => g.Key, g => g.Sum(i => i.Spend));

    /// <summary>What the account spent in the month, every category together.</summary>
    public decimal Of(Guid accountId, string month) => _byMonth.GetValueOrDefault((accountId, month));

    /// <summary>Each member's spend in the month, in its account's currency (what budgets are reviewed on).</summary>
    public Dictionary<Guid, MemberSpend> InMonth(string month) => Accounts.Values.ToDictionary(a => a.Id, a => new MemberSpend(Of(a.Id, month), a.Currency));
}

/// <summary>
/// What member accounts spent: their charges dated in the months asked for, net of the corrections not reversed, in each
/// account's currency. One query for the charges of every member over the whole range (per database holding members).
/// </summary>
public static class CorporateSpend
{
    /// <summary>A charge recorded without a category (none is posted so any more) is counted under this one.</summary>
    public const string Uncategorised = "uncategorised";

    public static async Task<Dictionary<Guid, MemberSpend>> ForMonthAsync(IQuerySession query, IReadOnlyList<Guid> accounts, string month, CancellationToken ct)
        => (await DetailAsync(query, accounts, month, month, ct)).InMonth(month);

    public static async Task<SpendDetail> DetailAsync(IQuerySession query, IReadOnlyList<Guid> accounts, string fromMonth, string toMonth,
        CancellationToken ct)
    {
        if (accounts.Count == 0)
            return new SpendDetail(new Dictionary<Guid, Account>(), []);
        var (from, to) = (Months.Range(fromMonth).From, Months.Range(toMonth).To);
        var store = query.DocumentStore;
        var (found, charges) = (new Dictionary<Guid, Account>(), new List<Entry>());
        // An account's entries live in its own database (with one database, the query's own).
        foreach (var database in accounts.Distinct().GroupBy(store.TenantFor))
        {
            var ids = database.ToArray();
            var session = database.Key == query.TenantId ? query : store.QuerySession(database.Key);
            try
            {
                charges.AddRange(await session.Query<Entry>()
                    .Where(e => ids.Contains(e.AccountId) && e.Kind == EntryKind.Charge && e.Date >= from && e.Date < to).ToListAsync(ct));
                foreach (var account in await session.LoadManyAsync<Account>(ct, ids))
                    found[account.Id] = account;
            }
            finally
            {
                if (!ReferenceEquals(session, query))
                    await session.DisposeAsync();
            }
        }
        var items = charges
            .GroupBy(c => (c.AccountId, Month: Months.Of(c.Date), Category: string.IsNullOrWhiteSpace(c.Category) ? Uncategorised : c.Category))
            .Select(g => new SpendItem(g.Key.AccountId, g.Key.Month, g.Key.Category, g.Sum(Net)))
            .ToList();
        return new SpendDetail(found, items);
    }

    /// <summary>A charge's spend: what was charged less the corrections that stand (a reversed correction gave its amount back).</summary>
    public static decimal Net(Entry charge) => charge.OriginalAmount - charge.Corrections.Where(x => x.ReversedBy is null).Sum(x => x.Amount);
}
