using FluentValidation;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
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
    public static void Map(WebApplication app) => app
        .MapPost("/api/contact-confirmations", (ConfirmContactEmailRequest body, HttpContext http, IMessageBus bus, IQuerySession query,
                ContactConfirmationLinks links) => ConfirmAsync(http, bus, query, links, body.Token))
        .Validated<ConfirmContactEmailRequest>()
        .AllowAnonymous()
        .WithTags("Accounts")
        .WithName("ConfirmContactEmail").Write(created: false)
        .WithSummary("Confirm a new contact e-mail address with the token from the link mailed to it; from then on notices go there.");

    private static async Task<IResult> ConfirmAsync(HttpContext http, IMessageBus bus, IQuerySession query, ContactConfirmationLinks links, string? token)
    {
        if (links.ConfirmationFor(token) is not { } confirmation)
            return Problems.Rule(new Rejection("confirmation-link-invalid",
                "This confirmation link is not valid: it was altered, cut short or has expired.", "token"), StatusCodes.Status400BadRequest);
        return await Writes.SendAsync(http, bus, query, confirmation, location: null, ContactConfirmationLinks.Context(http));
    }
}
