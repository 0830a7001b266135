using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Notifications;
using Ledger.Domain.Accounts.Profile;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Profile;

public sealed record ChangeContactPreferencesRequest(ContactChannel? Channel, string? Email)
{
    /// <summary>The command a valid request asks for (the API's and the profile page's alike).</summary>
    public ChangeContactPreferences ToCommand(Guid accountId) => new(accountId, Channel!.Value, Email, Ledger.Domain.Buckets.NewIdBeside(accountId));
}

public sealed class ChangeContactPreferencesValidator : AbstractValidator<ChangeContactPreferencesRequest>
{
    public ChangeContactPreferencesValidator()
    {
        RuleFor(r => r.Channel).NotNull().WithMessage("'channel' is one of email, paper, both.");
        RuleFor(r => r.Email).MaximumLength(ChangeContactPreferences.MaxEmailLength);
    }
}

public static class ChangeContactPreferencesEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPut("/{accountId:guid}/contact-preferences",
            (Guid accountId, ChangeContactPreferencesRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query, body.ToCommand(accountId), location: null))
        .Validated<ChangeContactPreferencesRequest>()
        .RequireAuthorization(AccessPolicies.SelfServiceWrite)
        .RateLimited(RateLimitRule.ProfileChanges)
        .WithName("ChangeContactPreferences").Write(created: false)
        .WithSummary("How the customer is told about their account: email, paper (to the account's address) or both. A new e-mail address is " +
                     "used only once its owner follows the link mailed to it; until then notices go to the confirmed address, or on paper.");
}
