using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Opening;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Notifications;
using Ledger.Domain.Accounts.Profile;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Profile;

public sealed record ChangeProfileRequest(string? HolderName, AddressBody? Address)
{
    /// <summary>The command a valid request asks for (the API's and the profile page's alike).</summary>
    public ChangeProfile ToCommand(Guid accountId) => new(accountId, HolderName!, Address!.ToAddress());
}

public sealed class ChangeProfileValidator : AbstractValidator<ChangeProfileRequest>
{
    public ChangeProfileValidator()
    {
        RuleFor(r => r.HolderName).NotEmpty().MaximumLength(120);
        RuleFor(r => r.Address).NotNull().SetValidator(new AddressValidator()!);
    }
}

public static class ChangeProfileEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPut("/{accountId:guid}/profile", (Guid accountId, ChangeProfileRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            Writes.SendAsync(http, bus, query, body.ToCommand(accountId), location: null))
        .Validated<ChangeProfileRequest>()
        .RequireAuthorization(AccessPolicies.SelfServiceWrite)
        .RateLimited(RateLimitRule.ProfileChanges)
        .WithName("ChangeProfile").Write(created: false)
        .WithSummary("Change the holder name and address (the customer, or the desk on their behalf).");
}
