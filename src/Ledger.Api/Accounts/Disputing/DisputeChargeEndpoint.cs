using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Disputing;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Disputing;

public sealed record DisputeChargeRequest(Guid? EntryId, string? Reason)
{
    /// <summary>The command a valid request asks for (the API's and the dispute page's alike).</summary>
    public DisputeCharge ToCommand(Guid accountId) => new(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), EntryId!.Value, Reason!);
}

public sealed class DisputeChargeValidator : AbstractValidator<DisputeChargeRequest>
{
    public DisputeChargeValidator()
    {
        RuleFor(r => r.EntryId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public static class DisputeChargeEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/disputes", (Guid accountId, DisputeChargeRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = body.ToCommand(accountId);
            return Writes.SendAsync(http, bus, query, command,
                o => $"/api/accounts/{o.AccountId}/entries/{command.EntryId}");
        })
        .Validated<DisputeChargeRequest>()
        .RequireAuthorization(AccessPolicies.SelfServiceWrite)
        .WithName("DisputeCharge").Write()
        .WithSummary("Dispute a charge (the customer, or the desk on their behalf).");
}
