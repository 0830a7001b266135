using Ledger.Api.Access;
using Ledger.Api.Portal.Requests;
using Ledger.Api.ServiceRequests;
using Ledger.Domain;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Desk;

/// <summary>
/// The desk's queue of service requests, as the API's list gives it to staff: the open ones by default (received, in review,
/// waiting for the customer), the least time left first; filtered by status, team and assignee.
/// </summary>
[Authorize(Policy = AccessPolicies.Desk)]
public sealed class RequestQueueModel(IQuerySession query) : RequestPage
{
    public const int Shown = 200;

    [FromQuery(Name = "status")] public string? Status { get; set; }
    [FromQuery(Name = "team")] public string? Team { get; set; }
    [FromQuery(Name = "assignee")] public string? Assignee { get; set; }

    public IReadOnlyList<ServiceRequestSummary> Items { get; private set; } = [];
    public IReadOnlyDictionary<string, string> TypeNames { get; private set; } = new Dictionary<string, string>();

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        (Status, Team, Assignee) = (Blank(Status), Blank(Team), Blank(Assignee));
        var wanted = Status is null ? null : RequestQueries.StatusNamed(Status);
        if (Status is not null && wanted is null)
        {
            AddRejection(new Rejection("status-unknown", $"'status' is one of: {string.Join(", ", RequestQueries.StatusNames)}.", "status"));
            return Page();
        }
        var found = await RequestQueries.Listed(query, Actor, wanted, Team, Assignee, type: null).LeastTimeLeftFirst().Take(Shown).ToListAsync(ct);
        var calendar = (await RequestReads.PolicyAsync(query, ct)).Current.Calendar;
        Items = found.Select(r => ServiceRequestSummary.From(r, calendar, Now)).ToList();
        TypeNames = (await query.Query<RequestTypeState>().ToListAsync(ct)).ToDictionary(t => t.Code, t => t.Current.Name);
        return Page();
    }

    public string TypeName(string code) => TypeNames.GetValueOrDefault(code, code);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
