using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Portal.Shared;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.SelfService;

/// <summary>A customer's accounts (the API's search, which confines a customer to their own); one account opens directly.</summary>
[Authorize(Roles = Roles.Customer)]
public sealed class MyAccountsModel(IQuerySession query) : PortalPage
{
    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        Accounts = (await AccountQueries.SearchAsync(query, Actor, null, null, 1, 50, Today, HttpContext.RequestAborted)).Items;
        return Accounts.Count == 1 ? LocalRedirect($"/portal/accounts/{Accounts[0].Id}") : Page();
    }
}
