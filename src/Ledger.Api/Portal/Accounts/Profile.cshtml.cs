using Ledger.Api.Access;
using Ledger.Api.Accounts.Opening;
using Ledger.Api.Accounts.Profile;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>The holder's name and postal address (the ledger keeps no other contact details yet).</summary>
[Authorize(Policy = Policies.SelfServiceWrite)]
public sealed class ProfileModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync(string? holderName, string? line1, string? line2, string? city, string? postalCode, string? country)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var request = new ChangeProfileRequest(holderName, new AddressBody(line1, line2, city, postalCode, country));
        if (await ValidAsync(request))
        {
            var outcome = await SendAsync(new ChangeProfileMessage(new ChangeProfile(AccountId, holderName!, request.Address!.ToAddress()), FormContext()));
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = "Your details are updated.";
                return LocalRedirect($"/portal/accounts/{AccountId}/profile");
            }
        }
        return Page();
    }

    /// <summary>The address validator names nested fields "address.line1"; the form's inputs are named "line1".</summary>
    public string Error(string field) => string.Join(" ",
        new[] { field, "address." + field }.SelectMany(k => ViewData.ModelState[k]?.Errors.Select(e => e.ErrorMessage) ?? []));

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        return true;
    }
}
