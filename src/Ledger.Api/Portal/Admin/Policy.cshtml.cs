using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Policies;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Policies;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Ledger.Api.Portal.Admin;

/// <summary>
/// The limits policy: the version in force, every version before it with what it changed, who, when and why, and the form
/// that changes it — the API's own message (<see cref="ChangePolicyMessage"/>) under the version the form was drawn from,
/// so a change made meanwhile is never overwritten unseen.
/// </summary>
[Authorize(Policy = AccessPolicies.Admin)]
public sealed class PolicyModel(IQuerySession query, IMessageBus bus) : PortalPage
{
    public PolicyState Policy { get; private set; } = null!;
    public IReadOnlyList<PolicyVersionView> History { get; private set; } = [];
    public IReadOnlyDictionary<string, string> Fields { get; private set; } = new Dictionary<string, string>();

    /// <summary>The version the edit form changes: the one in force when it was drawn.</summary>
    public long FormVersion { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        // A simulation's "save these limits" brings its values in the address.
        Fields = LimitsForm.Values(Policy.Current, name => Request.Query[name].ToString());
        FormVersion = Policy.Version;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] long version, [FromForm] string? reason)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var limits = LimitsForm.Read(name => Request.Form[name].ToString(), ModelState);
        var request = new ChangePolicyRequest(limits, reason);
        if (await ValidAsync(request) && limits!.Check() is { } broken)
            AddRejection(broken);
        else if (ModelState.IsValid)
        {
            var outcome = await bus.InvokeAsync<CommandOutcome>(
                new ChangePolicyMessage(limits!, reason!.Trim(), FormContext() with { ExpectedVersion = version }), HttpContext.RequestAborted);
            switch (outcome.Kind)
            {
                case OutcomeKind.Applied:
                    Notice = $"Limits policy version {outcome.Version} is in force.";
                    return LocalRedirect("/portal/admin/policy");
                case OutcomeKind.Stale:
                    ModelState.AddModelError("", $"Someone changed the policy while you were editing (you edited version {version}; version " +
                        $"{outcome.Version} is in force now, shown above). Nothing was saved: check the limits in force and send your change again.");
                    break;
                default:
                    AddRejection(outcome.Rejection!);
                    break;
            }
        }
        // Sent again, the form changes the version now in force, which the admin sees above: it keeps what they changed and takes
        // every other limit as it stands now, so another admin's change in between is not undone by a field no one touched.
        var edited = History.FirstOrDefault(v => v.Version == version)?.Limits ?? Policy.Current;
        var editedValues = LimitsForm.Values(edited, _ => null);
        Fields = LimitsForm.Values(Policy.Current, name => Request.Form[name].ToString() is var typed && typed.Trim() != editedValues[name] ? typed : null);
        FormVersion = Policy.Version;
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await query.LoadAsync<PolicyState>(PolicyState.StreamId, HttpContext.RequestAborted) is not { } policy)
            return false;
        Policy = policy;
        History = await PolicyHistory.ReadAsync(query, HttpContext.RequestAborted);
        return true;
    }
}
