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
/// A payment: only the card's brand and last four digits ever reach the ledger (a payment provider would hold the
/// card itself); a full card number typed anywhere is refused before anything is sent.
/// </summary>
[Authorize(Policy = AccessPolicies.SelfServiceWrite)]
public sealed class PayModel(IQuerySession query) : PortalPage
{
    public static readonly string[] CardBrands = ["visa", "mastercard", "amex", "discover"];

    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostAsync([FromForm] ReceivePaymentRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request))
        {
            var command = FormPayment(request).ToCommand(AccountId);
            var outcome = await SendAsync(command);
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = $"Payment of {command.Amount:N2} {Account.Currency} received; the balance is now {outcome.Balance:N2} {Account.Currency}.";
                return LocalRedirect($"/portal/accounts/{AccountId}");
            }
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
