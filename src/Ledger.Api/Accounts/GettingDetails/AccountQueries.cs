using Ledger.Api.Access;
using Ledger.Domain.Accounts;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Accounts.GettingDetails;

/// <summary>Finding accounts, for the API's search and the portal's desk and customer pages alike.</summary>
public static class AccountQueries
{
    public static async Task<PagedResult<AccountView>> SearchAsync(
        IQuerySession query, Actor actor, string? customerId, string? q, int page, int pageSize, CancellationToken ct)
    {
        IQueryable<Account> accounts = query.Query<Account>();
        // A customer searches only their own accounts, whatever customerId they pass; their token's id is never blank
        // (LedgerIdentity), and a customer's search is never left unfiltered.
        if (actor.IsCustomer)
        {
            var own = actor.CustomerId ?? throw new InvalidOperationException("A customer actor without a customer id passed the door.");
            accounts = accounts.Where(a => a.CustomerId == own);
        }
        else if (!string.IsNullOrWhiteSpace(customerId))
            accounts = accounts.Where(a => a.CustomerId == customerId);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            accounts = accounts.Where(a => a.HolderName.Contains(text, StringComparison.OrdinalIgnoreCase)
                || a.AccountNumber.Contains(text, StringComparison.OrdinalIgnoreCase));
        }
        var result = await accounts.OrderBy(a => a.HolderName).ThenBy(a => a.AccountNumber).ToPagedListAsync(page, pageSize, ct);
        return new PagedResult<AccountView>(result.Select(a => AccountView.Of(a, actor)).ToList(), page, pageSize, result.TotalItemCount);
    }
}
