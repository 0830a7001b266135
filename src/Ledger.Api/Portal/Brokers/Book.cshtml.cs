using Ledger.Api.Access;
using Ledger.Api.Collections;
using Ledger.Api.Portal.Shared;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Brokers;

/// <summary>
/// A broker's book, most urgent first. The page listens to its risk changes (server-sent events) and redraws the table from
/// the server when one comes, so a payment settling or a step taken shows without a reload.
/// </summary>
[Authorize(Roles = Roles.Broker)]
public sealed class BookModel(IQuerySession query, TimeProvider clock) : PortalPage
{
    public BrokerBook Book { get; private set; } = null!;

    public async Task OnGetAsync() => Book = await BrokerBooks.ReadAsync(query, Actor.BrokerId!, clock, HttpContext.RequestAborted);

    /// <summary>The table alone, for the page to swap in when its book changed.</summary>
    public async Task<IActionResult> OnGetLinesAsync()
    {
        await OnGetAsync();
        return Partial("_BookLines", this);
    }

    public static string Step(Domain.Collections.CollectionStep? step) => step switch
    {
        null => "—",
        Domain.Collections.CollectionStep.Reminder => "Reminder",
        Domain.Collections.CollectionStep.LateNotice => "Late notice",
        Domain.Collections.CollectionStep.IntentToCancel => "Intent to cancel",
        Domain.Collections.CollectionStep.Suspension => "Suspended",
        _ => "Cancelled",
    };
}
