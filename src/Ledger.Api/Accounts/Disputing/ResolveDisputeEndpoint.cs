using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
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

public static class ResolveDisputeEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/disputes/{disputeId:guid}/resolution",
            async (Guid accountId, Guid disputeId, ResolveDisputeRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            {
                // Which charge a dispute is about never changes; the decision reads that entry as the write finds it.
                var entryId = await query.Query<Entry>().Where(e => e.AccountId == accountId && e.Dispute != null && e.Dispute.DisputeId == disputeId)
                    .Select(e => e.Id).FirstOrDefaultAsync(http.RequestAborted);
                return await Writes.SendAsync(http, bus, query, new ResolveDispute(accountId, entryId, disputeId, body.Outcome!.Value, body.Note!),
                    location: null);
            })
        .Validated<ResolveDisputeRequest>()
        .RequireAuthorization(AccessPolicies.Desk)
        .WithName("ResolveDispute").Write(created: false)
        .WithSummary("Resolve an open dispute once: upheld or rejected, with a note (desk).");
}
