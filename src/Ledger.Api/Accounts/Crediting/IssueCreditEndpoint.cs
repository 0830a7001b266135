using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts.Crediting;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Crediting;

public sealed record IssueCreditRequest(decimal? Amount, string? ReasonCode, string? Reason);

public sealed class IssueCreditValidator : AbstractValidator<IssueCreditRequest>
{
    public IssueCreditValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(50);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record IssueCreditMessage(IssueCredit Command, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

public static class IssueCreditHandler
{
    public static Task<CommandOutcome> Handle(IssueCreditMessage message, IDocumentSession session, IOptions<LedgerOptions> options,
        TimeProvider clock, CancellationToken ct) =>
        AccountWrites.ApplyAsync(session, message.Context, message.AccountId, message.Command.EntryId,
            (account, _, _) => Task.FromResult(Domain.Accounts.Crediting.Crediting.Decide(account, message.Command, options.Value.PostingCeiling, message.Context.Now(clock))),
            clock, ct);
}

public static class IssueCreditEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/credits", (Guid accountId, IssueCreditRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new IssueCredit(accountId, Guid.CreateVersion7(), body.Amount!.Value, body.ReasonCode!, body.Reason!);
            return Writes.SendAsync(http, bus, query, new IssueCreditMessage(command, Writes.Context(http)), PostChargeEndpoint.EntryLocation);
        })
        .Validated<IssueCreditRequest>()
        .RequireAuthorization(Policies.Desk)
        .WithName("IssueCredit")
        .WithSummary("Issue a credit with a reason code (desk).");
}
