using Ledger.Api.Access;
using Ledger.Api.Approvals;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Policies;
using Ledger.Api.Portal.Shared;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Ledger.Projections.Approvals;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Approvals;

/// <summary>
/// Pending requests, oldest first, each with its requester, the limit it exceeded and its account; managers (and CSRs,
/// for customers' requests) approve or reject with a note. Who may see and decide what is the API's rule
/// (<see cref="ApprovalQueries.Visible"/>, the decision handler); auditors read only.
/// </summary>
[Authorize(Policy = AccessPolicies.ApprovalQueue)]
public sealed class QueueModel(IQuerySession query) : PortalPage
{
    public IReadOnlyList<(ApprovalView Request, Account? Account)> Pending { get; private set; } = [];
    public long Total { get; private set; }
    public Guid? FailedApproval { get; private set; }

    /// <summary>Each version of the limits policy: a request is read against the limits it was made under.</summary>
    private Dictionary<long, LimitsPolicy> _policies = [];

    public string LimitExceeded(ApprovalView request, Account? account) =>
        // A request under a customer's own limits (its code says whose) is described without the policy's amounts.
        Authority.Describe(request.ExceededLimit, request.ExceededLimit.Contains('/') ? null : _policies.GetValueOrDefault(request.PolicyVersion),
            account?.Currency ?? "");

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostApproveAsync(Guid approvalId, string? note) => DecideAsync(approvalId, approve: true, note);

    public Task<IActionResult> OnPostRejectAsync(Guid approvalId, string? note) => DecideAsync(approvalId, approve: false, note);

    private async Task<IActionResult> DecideAsync(Guid approvalId, bool approve, string? note)
    {
        if (!IsDesk)
            return Forbid();
        var (approval, rejection) = (new ApproveRequest(note), new RejectRequest(note));
        if (approve ? await ValidAsync(approval) : await ValidAsync(rejection))
        {
            var context = FormContext();
            if (await ApprovalQueries.FindAsync(query, approvalId, context.Actor, HttpContext.RequestAborted) is not { } request)
                return NotFoundPage();
            var outcome = await SendAsync(approve ? approval.ToCommand(request) : rejection.ToCommand(request), context);
            if (outcome.Kind == OutcomeKind.Applied)
            {
                Notice = approve ? $"Request {approvalId} approved; it is applied to the account." : $"Request {approvalId} rejected.";
                return LocalRedirect("/portal/approvals");
            }
        }
        FailedApproval = approvalId;
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var page = await ApprovalQueries.ListAsync(query, Actor, ApprovalStatus.Pending, null, 1, 100, HttpContext.RequestAborted);
        var accounts = await query.LoadManyAsync<Account>(HttpContext.RequestAborted, page.Items.Select(r => r.AccountId).Distinct());
        Pending = page.Items.Select(r => (r, accounts.FirstOrDefault(a => a.Id == r.AccountId))).ToList();
        _policies = await PolicyQueries.VersionsAsync(query, HttpContext.RequestAborted);
        Total = page.Total;
    }
}
