using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Portal.Shared;
using Ledger.Api.ServiceRequests;
using Ledger.Api.ServiceRequests.Documents;
using Ledger.Domain.ServiceRequests;
using Marten;
using Wolverine;

namespace Ledger.Api.Portal.Requests;

/// <summary>
/// What the service-request pages share: the request's one write path (<see cref="WriteServiceRequest"/>, as the API's
/// endpoints send it), uploads through the API's inspection and storage, and how a request reads when loaded afresh.
/// </summary>
public abstract class RequestPage : PortalPage
{
    public DateTimeOffset Now => HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>
    /// Sends the command through the request's write path, as the form's user; a refusal becomes an error on its field, or on
    /// <paramref name="field"/> when the form shows it elsewhere (an upload's refusal next to its own file input).
    /// </summary>
    protected async Task<CommandOutcome> SendAsync(IServiceRequestCommand command, RequestContext? context = null, string? field = null)
    {
        var services = HttpContext.RequestServices;
        context ??= FormContext();
        var outcome = await Writes.OnceAsync(services.GetRequiredService<IMessageBus>(), services.GetRequiredService<IQuerySession>(), context,
            new WriteServiceRequest(command, context), command.RequestId, HttpContext.RequestAborted);
        if (outcome.Kind == OutcomeKind.NotFound || outcome.Rejection?.Rule == "request-not-found")
            ModelState.AddModelError("", "That request does not exist or is not yours to see.");
        else if (outcome.Kind == OutcomeKind.Stale)
            ModelState.AddModelError("", "Someone changed the request while you were typing; check it and send again.");
        else if (outcome.Rejection is { } rejection)
            ModelState.AddModelError(field ?? RuleFields.FieldFor(rejection), rejection.Message);
        return outcome;
    }

    /// <summary>One form may write several times (each upload, then the submission): each write has its own key, made from the form's.</summary>
    protected RequestContext StepContext(string step)
    {
        var context = FormContext();
        return context.IdempotencyKey is { } key ? context with { IdempotencyKey = $"{key}-{step}" } : context;
    }

    /// <summary>
    /// The files the form carries for these slots (null: a document of no particular slot), each checked and kept exactly as the
    /// API's upload is (<see cref="UploadInspection"/>, <see cref="RequestDocuments"/>) and then attached. False when one was
    /// refused; its reason is next to its file input.
    /// </summary>
    protected async Task<bool> AttachUploadsAsync(Guid requestId, IEnumerable<string?> slots)
    {
        var ct = HttpContext.RequestAborted;
        foreach (var slot in slots)
        {
            var input = RequestForm.DocumentInput(slot);
            if (Request.Form.Files.GetFile(input) is not { } file || (file.Length == 0 && string.IsNullOrEmpty(file.FileName)))
                continue;
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, ct);
            var content = buffer.ToArray();
            var (upload, refused) = UploadInspection.Inspect(file.FileName, content, UploadInspection.DefaultMaxBytes);
            if (refused is not null)
            {
                ModelState.AddModelError(input, refused.Message);
                return false;
            }
            // The bytes first, under their hash, as the API keeps them: bytes no event names are harmless, an event naming missing bytes is not.
            await using (var session = HttpContext.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession())
            {
                RequestDocuments.Keep(session, upload!.Sha256, content);
                await session.SaveChangesAsync(ct);
            }
            var attached = await SendAsync(new AttachDocument(requestId, Guid.CreateVersion7(), slot, upload.FileName, upload.ContentType, upload.Length,
                upload.Sha256), StepContext($"document-{slot ?? "other"}"), input);
            if (attached.Kind != OutcomeKind.Applied)
                return false;
        }
        return true;
    }

    /// <summary>Errors about fields this form does not show (a rule naming another field, the validator's 'fields') go above the form.</summary>
    protected void ShowAboveTheFormUnless(IReadOnlyCollection<string> onTheForm)
    {
        foreach (var key in ModelState.Keys.Where(k => k.Length > 0 && !onTheForm.Contains(k)).ToList())
        {
            foreach (var error in ModelState[key]!.Errors)
                ModelState.AddModelError("", error.ErrorMessage);
            ModelState.Remove(key);
        }
    }

    /// <summary>The request as it stands now, read afresh (after a write on this same request), with the view the API gives this user.</summary>
    protected async Task<LoadedRequest?> LoadRequestAsync(Guid requestId)
    {
        var ct = HttpContext.RequestAborted;
        await using var fresh = HttpContext.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
        if (await RequestReads.VisibleAsync(fresh, HttpContext, requestId) is not { } request)
            return null;
        var events = await fresh.Events.FetchStreamAsync(requestId, token: ct);
        var policy = await RequestReads.PolicyAsync(fresh, ct);
        var type = await fresh.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(request.TypeCode), ct);
        // The account, its line items and its bills live in the account's own database (with several, its bucket's).
        await using var accountQuery = fresh.DocumentStore.QueryFor(request.AccountId);
        var account = await accountQuery.LoadAsync<Domain.Accounts.Account>(request.AccountId, ct);
        var options = type is null || account is null ? FieldOptions.None : await FieldOptions.ForAsync(accountQuery, account, type.Current, ct);
        return new LoadedRequest(request, ServiceRequestView.From(request, events, Actor, policy.Current.Calendar, Now), type, account, options);
    }
}

/// <summary>A request as a page shows it: the request, its view for this user, its type as it stands, its account, the choices its form offers.</summary>
public sealed record LoadedRequest(ServiceRequest Request, ServiceRequestView View, RequestTypeState? Type, Domain.Accounts.Account? Account,
    FieldOptions Options)
{
    public string TypeName => Type?.Current.Name ?? Request.TypeCode;
}
