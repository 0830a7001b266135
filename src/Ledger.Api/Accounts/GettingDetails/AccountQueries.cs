using Ledger.Api.Access;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.GettingDetails;

/// <summary>Finding accounts, for the API's search and the portal's desk and customer pages alike.</summary>
public static class AccountQueries
{
    public static async Task<PagedResult<AccountView>> SearchAsync(
        IQuerySession query, Actor actor, string? customerId, string? q, int page, int pageSize, DateOnly day, CancellationToken ct)
    {
        // A customer searches only their own accounts, whatever customerId they pass; their token's id is never blank
        // (LedgerIdentity), and a customer's search is never left unfiltered.
        var customer = actor.IsCustomer
            ? actor.CustomerId ?? throw new InvalidOperationException("A customer actor without a customer id passed the door.")
            : string.IsNullOrWhiteSpace(customerId) ? null : customerId;
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        IQueryable<Account> Filtered(IQuerySession session)
        {
            IQueryable<Account> accounts = session.Query<Account>();
            if (customer is not null)
                accounts = accounts.Where(a => a.CustomerId == customer);
            if (text is not null)
                accounts = accounts.Where(a => a.HolderName.Contains(text, StringComparison.OrdinalIgnoreCase)
                    || a.AccountNumber.Contains(text, StringComparison.OrdinalIgnoreCase));
            return accounts;
        }
        var (items, total) = await query.DocumentStore.PageEveryDatabaseAsync(query, Filtered,
            accounts => accounts.OrderBy(a => a.HolderName).ThenBy(a => a.AccountNumber), ByHolderThenNumber, page, pageSize, ct);
        return new PagedResult<AccountView>(items.Select(a => AccountView.Of(a, actor, day)).ToList(), page, pageSize, total);
    }

    private static readonly IComparer<Account> ByHolderThenNumber = Comparer<Account>.Create((x, y) =>
        string.CompareOrdinal(x.HolderName, y.HolderName) is var byHolder and not 0 ? byHolder : string.CompareOrdinal(x.AccountNumber, y.AccountNumber));
}
