using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Approvals;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Approvals;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Correcting;

public sealed record CorrectEntryRequest(Guid? EntryId, decimal? Amount, string? Reason, string? OverrideReason)
{
    /// <summary>The command a valid request asks for (the API's and the desk page's alike).</summary>
    public CorrectEntry ToCommand(Guid accountId) =>
        new(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), EntryId!.Value, Amount!.Value, Reason!, OverrideReason, Ledger.Domain.Buckets.NewIdBeside(accountId));
}

public sealed class CorrectEntryValidator : AbstractValidator<CorrectEntryRequest>
{
    public CorrectEntryValidator()
    {
        RuleFor(r => r.EntryId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public static class CorrectEntryEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/corrections", (Guid accountId, CorrectEntryRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = body.ToCommand(accountId);
            return Writes.SendAsync(http, bus, query, command,
                o => $"/api/accounts/{o.AccountId}/entries/{command.EntryId}");
        })
        .Validated<CorrectEntryRequest>()
        .RequireAuthorization(AccessPolicies.Desk)
        .WithName("CorrectEntry").Write(mayAwaitApproval: true)
        .WithSummary("Correct (part of) an earlier charge, payment or credit (desk): never more than what remains of it; " +
                     "over the caller's limit it becomes a request for approval (202).");
}
