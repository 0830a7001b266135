using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Portal.Shared;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Desk;

/// <summary>
/// Find an account in a couple of keystrokes: part of the number or the holder's name, or a customer id, then Enter.
/// One match opens the account directly. The same search the API's GET /api/accounts runs.
/// </summary>
[Authorize(Policy = AccessPolicies.Audit)]
public sealed class FindModel(IQuerySession query) : PortalPage
{
    [FromQuery(Name = "q")] public string? Q { get; set; }
    public PagedResult<AccountView>? Results { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (string.IsNullOrWhiteSpace(Q))
            return Page();
        if (SearchText.Check(Q, "q") is { } bad)
        {
            AddRejection(bad);
            return Page();
        }
        var text = Q.Trim();
        Results = await AccountQueries.SearchAsync(query, Actor, null, text, 1, 20, Today, HttpContext.RequestAborted);
        if (Results.Total == 0)
            Results = await AccountQueries.SearchAsync(query, Actor, text, null, 1, 20, Today, HttpContext.RequestAborted);
        return Results.Total == 1 ? LocalRedirect($"/portal/accounts/{Results.Items[0].Id}") : Page();
    }
}
