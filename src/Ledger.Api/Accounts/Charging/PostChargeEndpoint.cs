using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts.Charging;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Charging;

public sealed record PostChargeRequest(decimal? Amount, string? Description, string? Category, DateOnly? ServiceFrom, DateOnly? ServiceTo);

public sealed class PostChargeValidator : AbstractValidator<PostChargeRequest>
{
    public PostChargeValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Description).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Category).NotEmpty().MaximumLength(50);
    }
}

public static class PostChargeEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/charges", (Guid accountId, PostChargeRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new PostCharge(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), body.Amount!.Value, body.Description!, body.Category!, body.ServiceFrom, body.ServiceTo);
            return Writes.SendAsync(http, bus, query, command, EntryLocation);
        })
        .Validated<PostChargeRequest>()
        .RequireAuthorization(AccessPolicies.PostCharges)
        .WithName("PostCharge").Write()
        .WithSummary("Post a charge to the account (desk).");

    public static string EntryLocation(CommandOutcome o) => $"/api/accounts/{o.AccountId}/entries/{o.ResourceId}";
}
