using System.Security.Cryptography;
using System.Text;
using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Payments;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Wolverine;

namespace Ledger.Api.Portal.Shared;

/// <summary>
/// What every portal page shares: the acting user (from the cookie, same claims as a token), the account if the user
/// may see it, and the one way a form writes: the API's own validator, then the API's own Wolverine message, with
/// each refusal put next to the field it concerns.
/// </summary>
public abstract class PortalPage : PageModel
{
    public const string IdempotencyField = "idempotencyKey";

    public Actor Actor => Actor.From(User);

    /// <summary>The day it is (UTC) by the ledger's clock: what is past due depends on it.</summary>
    public DateOnly Today => DateOnly.FromDateTime(HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
    public bool IsDesk => Actor.Role is Roles.Csr or Roles.Manager;
    public bool CanAudit => Actor.Role is Roles.Csr or Roles.Manager or Roles.Auditor;

    /// <summary>A message for the page after a redirect (post/redirect/get), e.g. "applied" or "sent for approval".</summary>
    [TempData] public string? Notice { get; set; }

    /// <summary>A fresh key per rendered form: a double click or a resent form is answered once (the API's Idempotency-Key).</summary>
    public string NewFormKey() => Guid.NewGuid().ToString("N");

    protected Task<Account?> VisibleAccountAsync(IQuerySession query, Guid accountId) => AccountAccess.VisibleAsync(query, HttpContext, accountId);

    /// <summary>The value the user typed, to show again after a refusal; never a value that looked like a card number.</summary>
    public string Posted(string field, string fallback = "") =>
        Request.HasFormContentType && Request.Form.TryGetValue(field, out var v) && !CardNumbers.LooksLikeCardNumber(v.ToString()) ? v.ToString() : fallback;

    /// <summary>The API's FluentValidation rules for the same request record; errors land under the field names the form uses.</summary>
    protected async Task<bool> ValidAsync<T>(T request)
    {
        var validator = HttpContext.RequestServices.GetRequiredService<IValidator<T>>();
        var result = await validator.ValidateAsync(request, HttpContext.RequestAborted);
        foreach (var error in result.Errors.Where(e => ModelState[e.PropertyName] is not { Errors.Count: > 0 }))
            ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        return ModelState.IsValid && NothingUnstorable();
    }

    /// <summary>
    /// The API refuses, before anything is stored or logged, a full card number anywhere and text PostgreSQL cannot hold
    /// (NUL) or that is not text (unpaired surrogates); the portal applies the same tests to every form field.
    /// </summary>
    private bool NothingUnstorable()
    {
        foreach (var (field, value) in Request.Form.Where(f => f.Key is not ("__RequestVerificationToken" or IdempotencyField)))
        {
            var text = value.ToString();
            if (CardNumbers.LooksLikeCardNumber(text))
                ModelState.AddModelError(field, "A full card number was typed. This ledger never stores card numbers: give only the card brand and its last four digits.");
            else if (StorableText.HasNul(text) || StorableText.HasUnpairedSurrogate(text))
                ModelState.AddModelError(field, "This field holds characters that are not text (a NUL or a broken character); remove them.");
            else
                continue;
            return false;
        }
        return true;
    }

    /// <summary>The request context the API builds from headers, built from the form: same actor, the form's key and fingerprint.</summary>
    protected RequestContext FormContext()
    {
        var key = Request.Form[IdempotencyField].ToString();
        var fields = Request.Form.Where(f => f.Key is not ("__RequestVerificationToken" or IdempotencyField)).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => $"{f.Key}={f.Value}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Request.Path + "?" + Request.Query["handler"] + "\n" + string.Join("\n", fields))));
        return Writes.Context(HttpContext) with { IdempotencyKey = Guid.TryParse(key, out _) ? key : null, RequestHash = hash };
    }

    /// <summary>
    /// The payment a form describes, the customer's or the desk's, as the API would receive it: a blank reference is none,
    /// and the card's brand and last four digits go along only with a card payment (the form keeps them whatever the method).
    /// </summary>
    protected static StartPaymentRequest FormPayment(StartPaymentRequest form) => form with
    {
        Reference = string.IsNullOrWhiteSpace(form.Reference) ? null : form.Reference,
        CardBrand = form.Method == PaymentMethod.Card ? form.CardBrand : null,
        CardLast4 = form.Method == PaymentMethod.Card ? form.CardLast4 : null,
    };

    /// <summary>
    /// Sends the command through the API's own write path, as the form's user (<see cref="FormContext"/> unless given), and returns
    /// the answer; a refusal becomes an error on its field (or the form).
    /// </summary>
    protected async Task<CommandOutcome> SendAsync(IAccountCommand command, RequestContext? context = null)
    {
        var services = HttpContext.RequestServices;
        var outcome = await Writes.OutcomeAsync(services.GetRequiredService<IMessageBus>(), services.GetRequiredService<IQuerySession>(),
            new AccountWrite(command, context ?? FormContext()), HttpContext.RequestAborted);
        switch (outcome.Kind)
        {
            case OutcomeKind.Rejected:
                AddRejection(outcome.Rejection!);
                break;
            case OutcomeKind.NotFound:
                ModelState.AddModelError("", "That account does not exist or is not yours to see.");
                break;
            case OutcomeKind.Stale:
                ModelState.AddModelError("", "Someone changed the account while you were typing; check it and send again.");
                break;
        }
        return outcome;
    }

    /// <summary>
    /// Starts the payment a form describes through the API's own <see cref="PaymentStarts"/>; a refusal becomes an error on its
    /// field, an unreachable processor an error on the form. Null when nothing was started.
    /// </summary>
    protected async Task<PaymentAnswer?> StartPaymentAsync(Guid accountId, StartPaymentRequest form)
    {
        try
        {
            var start = await HttpContext.RequestServices.GetRequiredService<PaymentStarts>()
                .StartAsync(accountId, FormPayment(form), FormContext(), HttpContext.RequestAborted);
            switch (start.Outcome.Kind)
            {
                case OutcomeKind.Rejected:
                    AddRejection(start.Outcome.Rejection!);
                    break;
                case OutcomeKind.NotFound:
                    ModelState.AddModelError("", "That account does not exist or is not yours to see.");
                    break;
            }
            return start.Answer;
        }
        catch (Ledger.Api.Accounts.Paying.Stripe.ProcessorUnavailableException)
        {
            ModelState.AddModelError("", "Card payments cannot be taken right now; nothing was charged. Try again later, or pay by transfer or check.");
            return null;
        }
    }

    protected void AddRejection(Rejection rejection) => ModelState.AddModelError(RuleFields.FieldFor(rejection), rejection.Message);

    /// <summary>A readable 404 for the browser (a page's NotFound() would end in the API's plain status text).</summary>
    protected IActionResult NotFoundPage() => new ContentResult
    {
        StatusCode = StatusCodes.Status404NotFound, ContentType = "text/html; charset=utf-8", Content = StatusPages.Html(404, StatusPages.NotFound),
    };
}
