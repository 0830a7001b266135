using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>
/// A payment. A card goes to the processor's hosted page (the browser is sent there; no card number ever reaches the
/// ledger) and is pending until the processor confirms it; a transfer or check is pending until the bank does. A full
/// card number typed anywhere is refused before anything is sent.
/// </summary>
[Authorize(Policy = AccessPolicies.SelfServiceWrite)]
public sealed class PayModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync([FromForm] StartPaymentRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request) && await StartPaymentAsync(AccountId, request) is { } payment)
        {
            if (payment.PaymentPageUrl is { } page)
                return Redirect(page); // the processor's own page; it sends the browser back to the payment's status page
            Notice = payment.Status == PaymentStarts.Settled
                ? $"Payment of {payment.Amount:N2} {Account.Currency} received; the balance is now {payment.Balance:N2} {Account.Currency}."
                : $"Payment of {payment.Amount:N2} {Account.Currency} is pending until your bank's payment reaches us{(payment.ReferenceToQuote ?? payment.Reference) switch { null => "", var quote => $"; quote reference {quote}" }}. The balance is unchanged until then.";
            return LocalRedirect($"/portal/accounts/{AccountId}/payments/{payment.PaymentId}");
        }
        return Page();
    }

    /// <summary>The suggested amount: what the account owes now, if anything.</summary>
    public string SuggestedAmount => Account.Balance > 0 ? Account.Balance.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "";

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        return true;
    }
}
