using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Policies;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Policies;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Admin;

/// <summary>
/// Proposed limits (the policy in force to start from) and a period: the desk's decisions of that period replayed against
/// them by the API's own simulation (<see cref="RecordedDecisions"/>, <see cref="PolicySimulation"/>). A GET form: nothing is
/// written, and a result can be linked to. "Save these limits" takes the values to the policy's edit form.
/// </summary>
[Authorize(Policy = AccessPolicies.Admin)]
public sealed class PolicySimulationModel(IQuerySession query, IDocumentStore store, TimeProvider clock) : PortalPage
{
    public const int DefaultDays = 30;

    public PolicyState Policy { get; private set; } = null!;
    public IReadOnlyDictionary<string, string> Fields { get; private set; } = new Dictionary<string, string>();
    public string Days { get; private set; } = DefaultDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
    public SimulationReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (await query.LoadAsync<PolicyState>(PolicyState.StreamId, HttpContext.RequestAborted) is not { } policy)
            return NotFoundPage();
        Policy = policy;
        Fields = LimitsForm.Values(policy.Current, name => Request.Query[name].ToString());
        if (!Request.Query.ContainsKey("days"))
            return Page();
        Days = Request.Query["days"].ToString();
        var limits = LimitsForm.Read(name => Request.Query[name].ToString(), ModelState);
        int? days = int.TryParse(Days, out var d) ? d : null;
        if (days is null)
            ModelState.AddModelError("days", "A whole number of days, 1 to 366.");
        else if (limits is not null)
        {
            // A GET form has no body for the portal's form checks: the API's validator alone, then the policy's own rules.
            var validation = await HttpContext.RequestServices.GetRequiredService<IValidator<SimulationRequest>>()
                .ValidateAsync(new SimulationRequest(limits, days), HttpContext.RequestAborted);
            foreach (var error in validation.Errors)
                ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
            if (validation.IsValid && limits.Check() is { } broken)
                AddRejection(broken);
        }
        if (!ModelState.IsValid)
            return Page();
        var to = clock.GetUtcNow();
        var from = to.AddDays(-days!.Value);
        Report = PolicySimulation.Run(await RecordedDecisions.ReadAsync(store, from, to, HttpContext.RequestAborted), limits!, from, to);
        return Page();
    }

    public string SaveLink => "/portal/admin/policy?" + LimitsForm.Query(Fields) + "#edit";
}
