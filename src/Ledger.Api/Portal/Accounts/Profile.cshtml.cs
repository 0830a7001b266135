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

/// <summary>The holder's name and postal address, and how notices reach them (e-mail, letter or both): two forms, two commands.</summary>
[Authorize(Policy = AccessPolicies.SelfServiceWrite)]
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
            var outcome = await SendAsync(request.ToCommand(AccountId));
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = "Your details are updated.";
                return LocalRedirect($"/portal/accounts/{AccountId}/profile");
            }
        }
        return Page();
    }

    /// <summary>True when the contact form was the one sent back: form-wide errors belong to it, not to the address form.</summary>
    public bool ContactPosted => Request.HasFormContentType && Request.Query["handler"] == "Contact";

    /// <summary>The channel to show checked: the one just sent back, else the account's, else none chosen yet.</summary>
    public string? Channel => ContactPosted && Request.Form.TryGetValue("channel", out var v) ? v.ToString() : Account.Contact?.Channel.ToString();

    public async Task<IActionResult> OnPostContactAsync(ContactChannel? channel, string? email)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var request = new ChangeContactPreferencesRequest(channel, email);
        if (await ValidAsync(request))
        {
            var outcome = await SendAsync(request.ToCommand(AccountId));
            if (outcome.Kind == OutcomeKind.Applied)
            {
                var confirmed = Account.Contact?.Email;
                var isNew = channel != ContactChannel.Paper && !string.Equals(email?.Trim(), confirmed, StringComparison.OrdinalIgnoreCase);
                Notice = isNew
                    ? $"We sent a confirmation link to {email!.Trim()}: notices go there once it is followed (within 24 hours). Until then they go " +
                      (confirmed is null ? "by letter to your postal address." : $"to {confirmed}.")
                    : channel switch
                {
                    ContactChannel.Email => $"Notices now go to {email!.Trim()}.",
                    ContactChannel.Paper => "Notices now come by letter to your postal address.",
                    _ => $"Notices now go to {email!.Trim()} and by letter to your postal address.",
                };
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
