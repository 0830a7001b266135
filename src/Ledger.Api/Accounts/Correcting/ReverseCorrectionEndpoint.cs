using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Correcting;

public sealed record ReverseCorrectionRequest(string? Reason);

public sealed class ReverseCorrectionValidator : AbstractValidator<ReverseCorrectionRequest>
{
    public ReverseCorrectionValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

public sealed record ReverseCorrectionMessage(ReverseCorrection Command, RequestContext Context) : IAccountMessage
{
    public Guid AccountId => Command.AccountId;
}

public static class ReverseCorrectionHandler
{
    public static Task<CommandOutcome> Handle(ReverseCorrectionMessage message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        AccountWrites.ApplyAsync(session, message.Context, message.AccountId, message.Command.ReversalId,
            async (account, query, token) =>
            {
                var correctionId = message.Command.CorrectionId;
                var entry = await query.Query<Entry>()
                    .Where(e => e.AccountId == account.Id && e.Corrections.Any(c => c.CorrectionId == correctionId))
                    .FirstOrDefaultAsync(token);
                return ReversingCorrections.Decide(account, entry, message.Command, message.Context.Now(clock));
            },
            clock, ct);
}

public static class ReverseCorrectionEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/corrections/{correctionId:guid}/reversal",
            (Guid accountId, Guid correctionId, ReverseCorrectionRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            {
                var command = new ReverseCorrection(accountId, Guid.CreateVersion7(), correctionId, body.Reason!);
                return Writes.SendAsync(http, bus, query, new ReverseCorrectionMessage(command, Writes.Context(http)),
                    o => $"/api/accounts/{o.AccountId}/history");
            })
        .Validated<ReverseCorrectionRequest>()
        .RequireAuthorization(Policies.Desk)
        .WithName("ReverseCorrection")
        .WithSummary("Undo a wrong correction with a linked reversal; the entry's remaining amount is restored (desk).");
}
