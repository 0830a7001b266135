using Ledger.Api.Access;
using Ledger.Api.Accounts.Disputing;
using Ledger.Api.Accounts.ListingEntries;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>Dispute one charge (the customer, or the desk on their behalf); its status then shows on the line item.</summary>
[Authorize(Policy = AccessPolicies.SelfServiceWrite)]
public sealed class DisputeModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    [FromRoute] public Guid EntryId { get; set; }

    public Account Account { get; private set; } = null!;
    public EntryView Entry { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync(string? reason)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var request = new DisputeChargeRequest(EntryId, reason);
        if (await ValidAsync(request))
        {
            var outcome = await SendAsync(request.ToCommand(AccountId));
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = $"Your dispute of '{Entry.Description}' is open; the desk will look at it.";
                return LocalRedirect($"/portal/accounts/{AccountId}?q={Uri.EscapeDataString(Entry.Description)}");
            }
        }
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        if (await EntryQueries.FindAsync(query, AccountId, EntryId, HttpContext.RequestAborted) is not { } entry)
            return false;
        (Account, Entry) = (account, EntryView.Of(entry));
        return true;
    }
}
