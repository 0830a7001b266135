using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.ServiceRequests;
using Ledger.Api.ServiceRequests.Documents;
using Ledger.Domain.ServiceRequests;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// One request, as its customer works it. A draft: the type's form, rendered from its definition, with its documents; saved
/// for later (SaveDraft), submitted (SubmitRequest, with a number drawn as the API draws it) or discarded. A submitted
/// request: its promise, what the desk asks and the answer to it (uploads, then AnswerRequest), its timeline and outcome, and
/// the signed proof. Every write is the API's own command on the request's one write path.
/// </summary>
[Authorize(Policy = AccessPolicies.ServiceRequests)]
[RequestSizeLimit(64 * 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = UploadInspection.DefaultMaxBytes + 1024 * 1024)]
public sealed class DetailModel(IQuerySession query) : RequestPage
{
    [FromRoute] public Guid RequestId { get; set; }
    public LoadedRequest Loaded { get; private set; } = null!;
    public ServiceRequest Current => Loaded.Request;
    public IReadOnlyList<FieldInput> Inputs { get; private set; } = [];
    public IReadOnlyList<DocumentSlot> Slots => Loaded.Type?.Current.Documents ?? [];

    /// <summary>What the desk asked for, as the type names its documents (a name it no longer has, as is).</summary>
    public IReadOnlyList<DocumentSlot> AskedFor => Current.DocumentsAskedFor
        .Select(name => Slots.FirstOrDefault(s => s.Name == name) ?? new DocumentSlot(name, name, true, "")).ToList();

    /// <summary>The answer form's file inputs: one per document asked for, and one for anything else.</summary>
    public IReadOnlyList<(string Name, string Label, string Help)> AnswerUploads =>
    [
        .. AskedFor.Select(s => (RequestForm.DocumentInput(s.Name), s.Label, s.Help)),
        (RequestForm.DocumentInput(null), "Another document", "Optional: anything else that helps."),
    ];

    public string? Question => Loaded.View.Timeline.LastOrDefault(t => t.Kind == "information-requested")?.Text;

    private string Self => $"/portal/requests/{RequestId}";

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFoundPage();

    public async Task<IActionResult> OnPostSaveAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var answers = Answers();
        if (await ValidAsync(new SaveDraftRequest(answers)) && await AttachUploadsAsync(RequestId, Slots.Select(s => (string?)s.Name))
            && await SendAsync(new SaveDraft(RequestId, answers), StepContext("save")) is { Kind: OutcomeKind.Applied })
        {
            var saved = await LoadRequestAsync(RequestId);
            Notice = $"Your {Loaded.TypeName.ToLowerInvariant()} draft is saved. It is kept until {RequestText.When(saved?.Request.DraftExpiresAt)}: come back to it here.";
            return LocalRedirect(Actor.IsCustomer ? "/portal/requests" : Self);
        }
        return await AgainAsync();
    }

    public async Task<IActionResult> OnPostSubmitAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        var answers = Answers();
        if (await ValidAsync(new SubmitRequestRequest(answers)) && await AttachUploadsAsync(RequestId, Slots.Select(s => (string?)s.Name)))
        {
            var number = await RequestNumbers.NextAsync(query, Now, HttpContext.RequestAborted);
            if (await SendAsync(new SubmitRequest(RequestId, number, answers), StepContext("submit")) is { Kind: OutcomeKind.Applied }
                && await LoadRequestAsync(RequestId) is { } submitted)
            {
                Notice = $"Request {submitted.Request.Number} is received. We will complete it by {RequestText.When(submitted.Request.DueAt)}.";
                return LocalRedirect(Self);
            }
        }
        return await AgainAsync();
    }

    public async Task<IActionResult> OnPostDiscardAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await SendAsync(new DiscardDraft(RequestId)) is { Kind: OutcomeKind.Applied })
        {
            Notice = $"The {Loaded.TypeName.ToLowerInvariant()} draft is discarded.";
            return LocalRedirect(Actor.IsCustomer ? "/portal/requests" : $"/portal/accounts/{Current.AccountId}");
        }
        return await AgainAsync();
    }

    public async Task<IActionResult> OnPostAnswerAsync(string? message)
    {
        if (!await LoadAsync())
            return NotFoundPage();
        if (await ValidAsync(new AnswerRequestRequest(message)) && await AttachUploadsAsync(RequestId, AskedFor.Select(s => (string?)s.Name).Append(null))
            && await SendAsync(new AnswerRequest(RequestId, message!), StepContext("answer")) is { Kind: OutcomeKind.Applied }
            && await LoadRequestAsync(RequestId) is { } answered)
        {
            Notice = $"Thank you: your answer is with the desk. We now expect to complete request {answered.Request.Number} by {RequestText.When(answered.Request.DueAt)}.";
            return LocalRedirect(Self);
        }
        return await AgainAsync();
    }

    private Dictionary<string, string?> Answers() => Loaded.Type is { } type ? RequestForm.Answers(type.Current, Request.Form) : [];

    /// <summary>The page again after a refusal: as it now stands (an upload may have been taken), with what was typed.</summary>
    private async Task<IActionResult> AgainAsync()
    {
        if (!await LoadAsync())
            return NotFoundPage();
        ShowAboveTheFormUnless([.. Inputs.Select(i => i.Name), .. Slots.Select(s => RequestForm.DocumentInput(s.Name)), RequestForm.DocumentInput(null), "message"]);
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        if (await LoadRequestAsync(RequestId) is not { } loaded)
            return false;
        Loaded = loaded;
        Inputs = loaded.Type is { } type
            ? loaded.Options.Inputs(type.Current, f => Posted(RequestForm.FieldInput(f.Name), loaded.Request.Fields.GetValueOrDefault(f.Name) ?? ""))
            : [];
        return true;
    }
}
