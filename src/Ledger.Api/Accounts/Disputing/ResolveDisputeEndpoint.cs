using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Disputing;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Disputing;

public sealed record ResolveDisputeRequest(DisputeOutcome? Outcome, string? Note);

public sealed class ResolveDisputeValidator : AbstractValidator<ResolveDisputeRequest>
{
    public ResolveDisputeValidator()
    {
        RuleFor(r => r.Outcome).NotNull().WithMessage("'outcome' is upheld or rejected.");
        RuleFor(r => r.Note).NotEmpty().MaximumLength(500);
    }
}

public sealed record ResolveDisputeMessage(Guid AccountId, Guid DisputeId, DisputeOutcome Outcome, string Note, RequestContext Context) : IAccountMessage;

public static class ResolveDisputeHandler
{
    public static Task<(CommandOutcome, OutgoingMessages)> Handle(ResolveDisputeMessage message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        NotifyingWrites.ApplyAsync(session, message.Context, message.AccountId, message.DisputeId,
            async (account, query, token) =>
            {
                var disputeId = message.DisputeId;
                var entry = await query.Query<Entry>()
                    .Where(e => e.AccountId == account.Id && e.Dispute != null && e.Dispute.DisputeId == disputeId)
                    .FirstOrDefaultAsync(token);
                var command = new ResolveDispute(account.Id, entry?.Id ?? Guid.Empty, disputeId, message.Outcome, message.Note);
                return Domain.Accounts.Disputing.Disputing.Decide(account, entry, command, message.Context.Now(clock));
            },
            clock, ct);
}

public static class ResolveDisputeEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/disputes/{disputeId:guid}/resolution",
            (Guid accountId, Guid disputeId, ResolveDisputeRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query,
                    new ResolveDisputeMessage(accountId, disputeId, body.Outcome!.Value, body.Note!, Writes.Context(http)),
                    location: null))
        .Validated<ResolveDisputeRequest>()
        .RequireAuthorization(Policies.Desk)
        .WithName("ResolveDispute")
        .WithSummary("Resolve an open dispute once: upheld or rejected, with a note (desk).");
}
