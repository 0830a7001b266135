using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Ledger.Projections.Payments;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Accounts;

/// <summary>Where one payment stands; the processor's page sends the customer back here.</summary>
[Authorize(Policy = AccessPolicies.ReadAccounts)]
public sealed class PaymentModel(IQuerySession query, PaymentStarts payments) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }
    [FromRoute] public Guid PaymentId { get; set; }
    public Account Account { get; private set; } = null!;
    public PaymentAnswer Payment { get; private set; } = null!;
    public string? FailureReason { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account
            || await payments.DescribeAsync(AccountId, PaymentId, Actor, HttpContext.RequestAborted) is not { } payment)
            return NotFoundPage();
        (Account, Payment) = (account, payment);
        if (payment.Status == PaymentStatus.Failed)
            FailureReason = (await query.LoadAsync<PaymentView>(PaymentId, HttpContext.RequestAborted))?.FailureReason;
        return Page();
    }
}
