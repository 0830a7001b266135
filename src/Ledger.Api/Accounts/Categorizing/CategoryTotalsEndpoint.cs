using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
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
            return Results.Ok(await CategoryQueries.TotalsAsync(query, account, from, to, http.RequestAborted));
        })
        .RequireAuthorization(AccessPolicies.ReadAccounts)
        .WithName("GetCategoryTotals")
        .WithSummary("Charges (net of corrections) per category for a period, using the customer's own categories where set.")
        .Produces<CategoryTotals>();
}
