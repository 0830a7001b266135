using Ledger.Api.Access;
using Ledger.Api.Portal.Shared;
using Ledger.Api.Statements;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>The bills, newest first; each downloads as the exact PDF that was issued (the API's verified reprint).</summary>
[Authorize(Policy = AccessPolicies.ReadAccounts)]
public sealed class StatementsModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;
    public IReadOnlyList<StatementSummary> Statements { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return NotFoundPage();
        Account = account;
        Statements = await StatementQueries.ListAsync(query, AccountId, HttpContext.RequestAborted);
        return Page();
    }
}
