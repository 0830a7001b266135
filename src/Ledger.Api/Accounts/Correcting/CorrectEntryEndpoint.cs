using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Approvals;
using Ledger.Api.Infrastructure;
using Ledger.Api.Limits;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Approvals;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Correcting;

public sealed record CorrectEntryRequest(Guid? EntryId, decimal? Amount, string? Reason, string? OverrideReason);

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

public sealed record CorrectEntryMessage(CorrectEntry Command, Guid ApprovalId, string? OverrideReason, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

public static class CorrectEntryHandler
{
    public static async Task<(CommandOutcome, OutgoingMessages)> Handle(CorrectEntryMessage message, IDocumentSession session,
        IOptions<LedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var now = message.Context.Now(clock);
        var authority = new PostingAuthority(session, message.Context.Actor, now);
        Decision? decided = null;
        var outcome = await AccountWrites.ApplyAsync(session, message.Context, message.AccountId, message.Command.CorrectionId,
            async (account, query, token) =>
            {
                var entry = await query.LoadAsync<Entry>(message.Command.EntryId, token);
                var posting = Domain.Accounts.Correcting.Correcting.Decide(account, entry, message.Command, options.Value.PostingCeiling, now);
                var limits = posting.IsAccepted ? await authority.LoadAsync(token, drawsOnAllowance: false) : null;
                return decided = limits is null ? posting
                    : Authority.ForCorrection(account, posting, authority.Poster, limits, message.OverrideReason, message.ApprovalId, now);
            },
            clock, ct);
        return (outcome, ApprovalExpiry.ScheduleFor(decided));
    }
}

public static class CorrectEntryEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/corrections", (Guid accountId, CorrectEntryRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var command = new CorrectEntry(accountId, Guid.CreateVersion7(), body.EntryId!.Value, body.Amount!.Value, body.Reason!);
            return Writes.SendAsync(http, bus, query, new CorrectEntryMessage(command, Guid.CreateVersion7(), body.OverrideReason, Writes.Context(http)),
                o => $"/api/accounts/{o.AccountId}/entries/{command.EntryId}");
        })
        .Validated<CorrectEntryRequest>()
        .RequireAuthorization(Policies.Desk)
        .WithName("CorrectEntry")
        .WithSummary("Correct (part of) an earlier charge, payment or credit (desk): never more than what remains of it; " +
                     "over the caller's limit it becomes a request for approval (202).");
}
