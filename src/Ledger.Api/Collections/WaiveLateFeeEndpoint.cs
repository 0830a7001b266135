using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

public sealed record WaiveLateFeeRequest(string? Reason, string? OverrideReason)
{
    public WaiveLateFee ToCommand(Guid accountId, Guid feeEntryId) =>
        new(accountId, feeEntryId, Reason!, Buckets.NewIdBeside(accountId), OverrideReason, Buckets.NewIdBeside(accountId));
}

public sealed class WaiveLateFeeValidator : AbstractValidator<WaiveLateFeeRequest>
{
    public WaiveLateFeeValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(400);
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public static class WaiveLateFeeEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/late-fees/{feeEntryId:guid}/waiver", (Guid accountId, Guid feeEntryId, WaiveLateFeeRequest body, HttpContext http,
                IMessageBus bus, IQuerySession query) =>
            Writes.SendAsync(http, bus, query, body.ToCommand(accountId, feeEntryId), PostChargeEndpoint.EntryLocation))
        .Validated<WaiveLateFeeRequest>()
        .RequireAuthorization(AccessPolicies.RequestCredit)
        .WithTags("Collections")
        .WithName("WaiveLateFee").Write(mayAwaitApproval: true)
        .WithSummary("Waive a late fee: a credit of the fee, within the caller's credit limits (201), or a request a manager decides (202; a customer's " +
                     "always is). Each fee is waived once.");
}
