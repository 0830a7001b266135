using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.ServiceRequests;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// A customer's requests, drafts included, most recently changed first (what the API's list gives a customer), each with its
/// number, type, status and promise; and where to start a new one, per account.
/// </summary>
[Authorize(Roles = Roles.Customer)]
public sealed class MyRequestsModel(IQuerySession query) : RequestPage
{
    public const int Shown = 100;

    public IReadOnlyList<ServiceRequestSummary> Requests { get; private set; } = [];
    public IReadOnlyDictionary<string, string> TypeNames { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<AccountView> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var customerId = Actor.CustomerId;
        var mine = await query.Query<ServiceRequest>().Where(r => r.CustomerId == customerId && r.Status != RequestStatus.Discarded)
            .OrderByDescending(r => r.UpdatedAt).Take(Shown).ToListAsync(ct);
        var calendar = (await RequestReads.PolicyAsync(query, ct)).Current.Calendar;
        Requests = mine.Select(r => ServiceRequestSummary.From(r, calendar, Now)).ToList();
        TypeNames = (await query.Query<RequestTypeState>().ToListAsync(ct)).ToDictionary(t => t.Code, t => t.Current.Name);
        Accounts = (await AccountQueries.SearchAsync(query, Actor, null, null, 1, 50, Today, ct)).Items;
        return Page();
    }

    public string TypeName(string code) => TypeNames.GetValueOrDefault(code, code);
}
