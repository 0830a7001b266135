using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Accounts.GettingDetails;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public static class SearchAccountsEndpoint
{
    public const int MaxPageSize = 200;

    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapGet("/", async (string? customerId, string? q, int? page, int? pageSize, HttpContext http, IQuerySession query) =>
        {
            if (Paging.Check(page, pageSize) is { } bad)
                return Problems.Rule(bad, StatusCodes.Status400BadRequest);
            if ((SearchText.Check(q, "q") ?? SearchText.Check(customerId, "customerId")) is { } badText)
                return Problems.Rule(badText, StatusCodes.Status400BadRequest);

            return Results.Ok(await SearchAsync(query, Actor.From(http.User), customerId, q, page ?? 1, pageSize ?? 50, http.RequestAborted));
        })
        .RequireAuthorization(AccessPolicies.ReadAccounts)
        .WithName("SearchAccounts")
        .WithSummary("Find accounts by customer, holder name or account number (customers: only their own).")
        .Produces<PagedResult<AccountView>>();

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

/// <summary>
/// Search text: at most 100 characters and no NUL, which PostgreSQL cannot hold in text (the query would fail and
/// look like an outage). Other control characters are harmless and simply match nothing.
/// </summary>
public static class SearchText
{
    public static Rejection? Check(string? value, string field) =>
        value is { Length: > 100 } ? new Rejection("too-long", $"'{field}' is at most 100 characters.", field)
        : value?.Contains('\0') == true ? new Rejection("invalid-characters", $"'{field}' contains a NUL character.", field)
        : null;
}

public static class Paging
{
    /// <summary>How deep paging reaches. Past it the offset would overflow (page=2147483647 failed in the database and looked like an outage).</summary>
    public const int MaxPage = 100_000;

    public static Rejection? Check(int? page, int? pageSize) =>
        page is < 1 or > MaxPage ? new Rejection("page-out-of-range", $"'page' is between 1 and {MaxPage}; narrow the search to go further.", "page")
        : pageSize is < 1 or > SearchAccountsEndpoint.MaxPageSize
            ? new Rejection("page-size-out-of-range", $"'pageSize' is between 1 and {SearchAccountsEndpoint.MaxPageSize}.", "pageSize")
            : null;
}
