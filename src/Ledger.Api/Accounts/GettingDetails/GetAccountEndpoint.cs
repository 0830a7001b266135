using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.GettingDetails;

/// <summary>The account as the desk and its owner see it. Balance: positive = the customer owes.</summary>
public sealed record AccountView(
    Guid Id, string AccountNumber, string CustomerId, string HolderName, string Status, string Currency, decimal Balance,
    int BillingDay, Address Address, int OpenDisputes, DateTimeOffset OpenedAt, DateTimeOffset? LastPaymentAt, decimal? LastPaymentAmount,
    long Version, IReadOnlyList<Domain.Approvals.PendingApproval> PendingApprovals)
{
    public static AccountView Of(Account a) => new(a.Id, a.AccountNumber, a.CustomerId, a.HolderName, a.Status.ToString().ToLowerInvariant(),
        a.Currency, a.Balance, a.BillingDay, a.Address, a.OpenDisputes, a.OpenedAt, a.LastPaymentAt, a.LastPaymentAmount, a.Version,
        a.PendingApprovals.Values.OrderBy(p => p.RequestedAt).ToList());
}

public static class GetAccountEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapGet("/{accountId:guid}", async (Guid accountId, HttpContext http, IQuerySession query) =>
        {
            // The inline snapshot: one row, whatever the length of the account's history.
            var account = await query.LoadAsync<Account>(accountId, http.RequestAborted);
            if (account is null || !Actor.From(http.User).CanSee(account))
                return Problems.NotFound($"Account {accountId}");
            http.Response.Headers.ETag = ETags.For(account.Version);
            return Results.Ok(AccountView.Of(account));
        })
        .RequireAuthorization(Policies.ReadAccounts)
        .WithName("GetAccount")
        .WithSummary("An account's current state; the ETag is its stream version, for If-Match on writes.")
        .Produces<AccountView>();
}
