using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Correcting;

public sealed record CorrectEntryRequest(Guid? EntryId, decimal? Amount, string? Reason);

public sealed class CorrectEntryValidator : AbstractValidator<CorrectEntryRequest>
{
    public CorrectEntryValidator()
    {
        RuleFor(r => r.EntryId).NotNull().NotEqual(Guid.Empty);
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record CorrectEntryMessage(CorrectEntry Command, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

public static class CorrectEntryHandler
{
    public static Task<CommandOutcome> Handle(CorrectEntryMessage message, IDocumentSession session, IOptions<LedgerOptions> options,
        TimeProvider clock, CancellationToken ct) =>
        AccountWrites.ApplyAsync(session, message.Context, message.AccountId, message.Command.CorrectionId,
            async (account, query, token) =>
            {
                var entry = await query.LoadAsync<Entry>(message.Command.EntryId, token);
                return Domain.Accounts.Correcting.Correcting.Decide(account, entry, message.Command, options.Value.PostingCeiling, message.Context.Now(clock));
            },
            clock, ct);
}

public static class CorrectEntryEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/corrections", (Guid accountId, CorrectEntryRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new CorrectEntry(accountId, Guid.CreateVersion7(), body.EntryId!.Value, body.Amount!.Value, body.Reason!);
            return Writes.SendAsync(http, bus, query, new CorrectEntryMessage(command, Writes.Context(http)),
                o => $"/api/accounts/{o.AccountId}/entries/{command.EntryId}");
        })
        .Validated<CorrectEntryRequest>()
        .RequireAuthorization(Policies.Desk)
        .WithName("CorrectEntry")
        .WithSummary("Correct (part of) an earlier charge, payment or credit (desk). Never more than what remains of it.");
}
