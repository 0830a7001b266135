using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Portal.Requests;
using Ledger.Api.ServiceRequests;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Ledger.Api.Portal.Desk;

/// <summary>
/// One service request at the desk: the answers, documents and whole timeline (internal notes included), and what the desk
/// does with it — assign, review, ask the customer, note, message, complete (<see cref="Completing.CompleteAsync"/>, the API's
/// own completion) or reject. Each is the API's command on the request's one write path, with its validator first.
/// </summary>
[Authorize(Policy = AccessPolicies.Desk)]
public sealed class DeskRequestModel(IQuerySession query, IMessageBus bus, ProofOfCompletion proofs, TimeProvider clock) : RequestPage
{
    [FromRoute] public Guid RequestId { get; set; }
    public LoadedRequest Loaded { get; private set; } = null!;
    public ServiceRequest Current => Loaded.Request;

    /// <summary>Which form the errors on the page belong to.</summary>
    public string? FailedForm { get; private set; }

    /// <summary>The fields each form shows its errors at; any other refusal is shown above the form.</summary>
    private static readonly Dictionary<string, string[]> FormFields = new()
    {
        ["assign"] = ["team", "assignee"], ["review"] = [], ["ask"] = ["message", "documents"], ["note"] = ["text"], ["message"] = ["text"],
        ["reject"] = ["reason"], ["complete"] = ["resolution", "disputeOutcome", "overrideReason"],
    };

    public bool IsRefund => Loaded.Type?.Current.Action == ServiceAction.RefundCreditBalance;

    private string Self => $"/portal/desk/requests/{RequestId}";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public Task<IActionResult> OnPostAssignAsync(string? team, string? assignee) =>
        WriteAsync("assign", new AssignRequestRequest(team, assignee), () => new AssignRequest(RequestId, team!, Blank(assignee)),
            $"Assigned to {(Blank(assignee) is { } who ? $"{who} ({team})" : $"the {team} team's queue")}.");

    public Task<IActionResult> OnPostReviewAsync() =>
        WriteAsync<object>("review", null, () => new StartReview(RequestId), "Review started.");

    public Task<IActionResult> OnPostAskAsync(string? message, List<string>? documents) =>
        WriteAsync("ask", new AskCustomerRequest(message, documents), () => new AskCustomer(RequestId, message!, documents),
            "The customer is asked; the clock stops until they answer.");

    public Task<IActionResult> OnPostNoteAsync(string? text) =>
        WriteAsync("note", new TextRequest(text), () => new WriteOnRequest(RequestId, text!, ToCustomer: false), "Internal note added.");

    public Task<IActionResult> OnPostMessageAsync(string? text) =>
        WriteAsync("message", new TextRequest(text), () => new WriteOnRequest(RequestId, text!, ToCustomer: true), "Message sent to the customer.");

    public Task<IActionResult> OnPostRejectAsync(string? reason) =>
        WriteAsync("reject", new RejectRequestRequest(reason), () => new RejectRequest(RequestId, reason!), "Request rejected; the customer is told why.");

    public async Task<IActionResult> OnPostCompleteAsync(string? resolution, string? disputeOutcome, string? overrideReason)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var body = new CompleteRequestRequest(resolution, Blank(disputeOutcome), Blank(overrideReason));
        if (await ValidAsync(body))
        {
            var context = FormContext();
            var step = await Completing.CompleteAsync(RequestId, body, context, query, bus, proofs, clock, HttpContext.RequestAborted);
            if (step.Refused is { } refused)
                ModelState.AddModelError(refused.Extensions.TryGetValue("field", out var field) && field is string name ? name : "",
                    refused.Detail ?? refused.Title ?? "Refused.");
            else if (await SendAsync(step.Then!, context with { EffectiveAt = step.EffectiveAt }) is { Kind: OutcomeKind.Applied })
            {
                Notice = step.Then is AwaitApproval
                    ? "The refund is over your limits and waits for a manager's approval; complete the request again once it is approved."
                    : "Request completed: the customer is told, with the signed proof.";
                return LocalRedirect(Self);
            }
        }
        return await FailedAsync("complete");
    }

    private async Task<IActionResult> WriteAsync<T>(string form, T? request, Func<IServiceRequestCommand> command, string notice)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if ((request is null || await ValidAsync(request)) && await SendAsync(command()) is { Kind: OutcomeKind.Applied })
        {
            Notice = notice;
            return LocalRedirect(Self);
        }
        return await FailedAsync(form);
    }

    private async Task<IActionResult> FailedAsync(string form)
    {
        FailedForm = form;
        ShowAboveTheFormUnless(FormFields[form]);
        return await LoadAsync() ? Page() : NotFoundPage();
    }

    private async Task<bool> LoadAsync()
    {
        if (await LoadRequestAsync(RequestId) is not { } loaded)
            return false;
        Loaded = loaded;
        return true;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
