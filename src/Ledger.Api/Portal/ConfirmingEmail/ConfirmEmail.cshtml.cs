using Ledger.Api.Accounts.Profile;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Ledger.Api.Portal.ConfirmingEmail;

/// <summary>
/// Where the link mailed to a new contact address leads. Opening it changes nothing (mail scanners open links); the
/// button confirms, with the same rules and message as <c>POST /api/contact-confirmations</c>. No sign-in needed: the
/// link is the proof, and only the new address received it.
/// </summary>
public sealed class ConfirmEmailModel(ContactConfirmationLinks links, IMessageBus bus, IQuerySession query) : PortalPage
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }

    public string? Result { get; private set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet()
    {
        if (links.ConfirmationFor(Token) is null)
            Problem = "This confirmation link is not valid: it was altered, cut short or has expired.";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (links.ConfirmationFor(Token) is not { } confirmation)
        {
            Problem = "This confirmation link is not valid: it was altered, cut short or has expired.";
            return Page();
        }
        var outcome = await Writes.OutcomeAsync(bus, query,
            new AccountWrite(confirmation, ContactConfirmationLinks.Context(HttpContext)), HttpContext.RequestAborted);
        if (outcome.Kind == OutcomeKind.Applied)
            Result = "Thank you: this address is confirmed, and notices about the account now come here.";
        else
            Problem = outcome.Rejection?.Message ?? "This link can no longer be used.";
        return Page();
    }
}
