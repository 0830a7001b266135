using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Approvals;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Notifications;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Ledger.Domain.Accounts.Crediting;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Crediting;

public sealed record IssueCreditRequest(decimal? Amount, string? ReasonCode, string? Reason, string? OverrideReason)
{
    /// <summary>The command a valid request asks for (the API's and the desk page's alike).</summary>
    public IssueCredit ToCommand(Guid accountId) =>
        new(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), Amount!.Value, ReasonCode!, Reason!, OverrideReason, Ledger.Domain.Buckets.NewIdBeside(accountId));
}

public sealed class IssueCreditValidator : AbstractValidator<IssueCreditRequest>
{
    public IssueCreditValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(50);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public static class IssueCreditEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/credits", (Guid accountId, IssueCreditRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            Writes.SendAsync(http, bus, query, body.ToCommand(accountId), PostChargeEndpoint.EntryLocation))
        .Validated<IssueCreditRequest>()
        .RequireAuthorization(AccessPolicies.RequestCredit)
        .WithName("IssueCredit").Write(mayAwaitApproval: true)
        .WithSummary("Credit the account: 201 when within the caller's limits, 202 with an approvalId when it needs a manager " +
                     "(customers' credits always become requests to the desk). Managers above a CSR's limit give an overrideReason.");
}
