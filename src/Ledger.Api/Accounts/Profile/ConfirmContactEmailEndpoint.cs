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

public sealed record ConfirmContactEmailMessage(VerifyContactEmail Command, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

public static class ConfirmContactEmailHandler
{
    public static Task<(CommandOutcome, OutgoingMessages)> Handle(ConfirmContactEmailMessage message, IDocumentSession session, TimeProvider clock,
        CancellationToken ct) =>
        NotifyingWrites.ApplyAsync(session, message.Context, message.AccountId, message.AccountId,
            (account, _, _) => Task.FromResult(ContactPreferenceChanges.Verify(account, message.Command, message.Context.Now(clock))), clock, ct);
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
        return await Writes.SendAsync(http, bus, query, Message(http, named), location: null);
    }

    /// <summary>The confirmation a valid link asks for (the API's and the portal page's alike).</summary>
    public static ConfirmContactEmailMessage Message(HttpContext http, (Guid AccountId, Guid VerificationId) named) =>
        // Idempotency keys are scoped to a user; every link holder is the same stand-in, so none is kept for them.
        new(new VerifyContactEmail(named.AccountId, named.VerificationId), Writes.Context(http, LinkHolder) with { IdempotencyKey = null });
}
