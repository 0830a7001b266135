using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.ServiceRequests;
using Ledger.Domain.Accounts;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// What can be asked for on an account: the catalogue's types that are not retired (as the API lists them), each with its
/// summary, promised turnaround and help page. Starting one opens a draft (the API's OpenDraft) and goes to its form.
/// </summary>
[Authorize(Policy = AccessPolicies.ServiceRequests)]
public sealed class CatalogueModel(IQuerySession query) : RequestPage
{
    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;
    public IReadOnlyList<RequestTypeState> Types { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync(string? type)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var request = new OpenRequestRequest(type, null, false);
        if (await ValidAsync(request))
        {
            // A form sent twice is answered once: the draft the first sending opened.
            if (await SendAsync(new OpenDraft(Guid.CreateVersion7(), type!, AccountId, Account.CustomerId, null)) is { Kind: OutcomeKind.Applied } opened)
                return LocalRedirect($"/portal/requests/{opened.ResourceId}");
        }
        ShowAboveTheFormUnless([]);
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        Types = (await query.Query<RequestTypeState>().ToListAsync(HttpContext.RequestAborted)).Where(t => !t.Retired)
            .OrderBy(t => t.Current.Name, StringComparer.Ordinal).ToList();
        return true;
    }
}
