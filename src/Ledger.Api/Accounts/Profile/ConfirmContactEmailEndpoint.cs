using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Domain;
using Ledger.Domain.Accounts.Profile;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Profile;

public sealed record ConfirmContactEmailRequest(string? Token);

public sealed class ConfirmContactEmailValidator : AbstractValidator<ConfirmContactEmailRequest>
{
    public ConfirmContactEmailValidator() => RuleFor(r => r.Token).NotEmpty().MaximumLength(1_000);
}

public static class ConfirmContactEmailEndpoint
{
    /// <summary>Who confirms: whoever holds the link, which only the new address received; recorded as such, not as a user.</summary>
    public static readonly Actor LinkHolder = new("contact-confirmation-link", "link-holder", Channel.SelfService, null);

    public static void Map(WebApplication app) => app
        .MapPost("/api/contact-confirmations", (ConfirmContactEmailRequest body, HttpContext http, IMessageBus bus, IQuerySession query,
                ContactConfirmationLinks links) => ConfirmAsync(http, bus, query, links, body.Token))
        .Validated<ConfirmContactEmailRequest>()
        .AllowAnonymous()
        .WithTags("Accounts")
        .WithName("ConfirmContactEmail")
        .WithSummary("Confirm a new contact e-mail address with the token from the link mailed to it; from then on notices go there.");

    public static async Task<IResult> ConfirmAsync(HttpContext http, IMessageBus bus, IQuerySession query, ContactConfirmationLinks links, string? token)
    {
        if (links.Read(token) is not { } named)
            return Problems.Rule(new Rejection("confirmation-link-invalid",
                "This confirmation link is not valid: it was altered, cut short or has expired.", "token"), StatusCodes.Status400BadRequest);
        return await Writes.SendAsync(http, bus, query, new VerifyContactEmail(named.AccountId, named.VerificationId), location: null, Context(http));
    }

    /// <summary>Who confirms (the API's and the portal page's alike).</summary>
    public static RequestContext Context(HttpContext http) =>
        // Idempotency keys are scoped to a user; every link holder is the same stand-in, so none is kept for them.
        Writes.Context(http, LinkHolder) with { IdempotencyKey = null };
}
