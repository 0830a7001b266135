using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Accounts.TimeTravel;
using Ledger.Api.Auditing;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Ledger.Projections.Auditing;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Auditing;

/// <summary>
/// Read-only: the account's audit trail from the event store, and the account as it stood at a chosen moment
/// (the API's own as-of replay from the nearest checkpoint).
/// </summary>
[Authorize(Policy = AccessPolicies.Audit)]
public sealed class HistoryModel(IQuerySession query) : PortalPage
{
    [FromRoute] public Guid AccountId { get; set; }

    /// <summary>A moment in UTC, as a datetime-local input sends it.</summary>
    [FromQuery(Name = "asOf")] public DateTime? AsOf { get; set; }

    public Account Account { get; private set; } = null!;
    public AccountView? Then { get; private set; }
    public IReadOnlyList<AuditEntry> Trail { get; private set; } = [];
    public DateTimeOffset? Moment => AsOf is { } at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await VisibleAccountAsync(query, AccountId) is not { } account)
            return NotFoundPage();
        Account = account;
        Trail = await AuditQueries.AccountTrailAsync(query, AccountId, HttpContext.RequestAborted);
        if (Moment is { } moment)
        {
            var then = await AccountCheckpoints.AsOfAsync(query, AccountId, null, moment, HttpContext.RequestAborted);
            if (then is null)
                ModelState.AddModelError("asOf", $"The account did not exist yet at {moment:yyyy-MM-dd HH:mm:ss} UTC.");
            else
                Then = AccountView.Of(then, Actor, DateOnly.FromDateTime(moment.UtcDateTime));
        }
        return Page();
    }
}
