using Ledger.Api.Access;
using Ledger.Api.Accounts.Refunding;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>
/// A credit balance paid back: to the card paid with when one can take it, else by transfer to the IBAN given. A
/// customer's ask goes to the desk; the desk refunds within its limits (the credit limits), above them it asks a manager.
/// The same rules as the API's (<see cref="RefundEndpoints"/>).
/// </summary>
[Authorize(Policy = AccessPolicies.RequestCredit)]
public sealed class RefundModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    public Account Account { get; private set; } = null!;
    public bool CardCanTakeIt { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        CardCanTakeIt = await RefundEndpoints.CardToRefundAsync(query, AccountId, Account.RefundableCredit, HttpContext.RequestAborted) is not null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] IssueRefundRequest request)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(request))
        {
            var command = await request.ToCommandAsync(query, AccountId, HttpContext.RequestAborted);
            var outcome = await SendAsync(command);
            if (outcome.Kind is OutcomeKind.Applied or OutcomeKind.Pending)
            {
                Notice = outcome.Kind == OutcomeKind.Pending
                    ? $"Your refund of {request.Amount:N2} {Account.Currency} waits for {(Actor.IsCustomer ? "our service desk" : "a manager")} to approve it."
                    : $"Refund of {request.Amount:N2} {Account.Currency} is on its way {(command.Method == RefundMethod.Transfer ? "by bank transfer" : "to the card paid with")}.";
                return LocalRedirect($"/portal/accounts/{AccountId}");
            }
        }
        CardCanTakeIt = await RefundEndpoints.CardToRefundAsync(query, AccountId, Account.RefundableCredit, HttpContext.RequestAborted) is not null;
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return false;
        Account = account;
        return true;
    }
}
