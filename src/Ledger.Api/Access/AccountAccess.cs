using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Access;

public static class AccountAccess
{
    /// <summary>
    /// The account if the caller may see it; null when it does not exist or belongs to another customer, so the
    /// two answer alike (no enumeration).
    /// </summary>
    public static async Task<Account?> VisibleAsync(IQuerySession query, HttpContext http, Guid accountId)
    {
        var account = await query.LoadAsync<Account>(accountId, http.RequestAborted);
        if (account is null)
            return null;
        var actor = Actor.From(http.User);
        return actor.CanSee(account) || await Corporate.CorporateAccess.CoversAsync(query, actor, accountId, http.RequestAborted) ? account : null;
    }
}
