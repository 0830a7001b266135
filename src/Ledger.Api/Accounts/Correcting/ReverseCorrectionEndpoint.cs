using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
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

public static class ReverseCorrectionEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/corrections/{correctionId:guid}/reversal",
            async (Guid accountId, Guid correctionId, ReverseCorrectionRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            {
                // Which entry a correction was made on never changes; the decision reads that entry as the write finds it.
                var entryId = await query.Query<Entry>().Where(e => e.AccountId == accountId && e.Corrections.Any(c => c.CorrectionId == correctionId))
                    .Select(e => e.Id).FirstOrDefaultAsync(http.RequestAborted);
                var command = new ReverseCorrection(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), correctionId, body.Reason!, entryId);
                return await Writes.SendAsync(http, bus, query, command, o => $"/api/accounts/{o.AccountId}/history");
            })
        .Validated<ReverseCorrectionRequest>()
        .RequireAuthorization(AccessPolicies.Desk)
        .WithName("ReverseCorrection").Write(mayAwaitApproval: true)
        .WithSummary("Undo a wrong correction with a linked reversal; the entry's remaining amount is restored (desk).");
}
