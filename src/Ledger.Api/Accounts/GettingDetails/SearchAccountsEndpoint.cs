using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Marten;

namespace Ledger.Api.Accounts.GettingDetails;

public static class SearchAccountsEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapGet("/", async (string? customerId, string? q, int? page, int? pageSize, HttpContext http, IQuerySession query, TimeProvider clock) =>
        {
            if (Paging.Check(page, pageSize) is { } bad)
                return Problems.Rule(bad, StatusCodes.Status400BadRequest);
            if ((SearchText.Check(q, "q") ?? SearchText.Check(customerId, "customerId")) is { } badText)
                return Problems.Rule(badText, StatusCodes.Status400BadRequest);

            return Results.Ok(await AccountQueries.SearchAsync(query, Actor.From(http.User), customerId, q, page ?? 1, pageSize ?? 50,
                DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), http.RequestAborted));
        })
        .RequireAuthorization(AccessPolicies.ReadAccounts)
        .WithName("SearchAccounts")
        .WithSummary("Find accounts by customer, holder name or account number (customers: only their own).")
        .Produces<PagedResult<AccountView>>();
}
