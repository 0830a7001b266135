using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Marten;
using Wolverine;

namespace Ledger.Api.Approvals;

/// <summary>Scheduled when a request is recorded; Wolverine keeps it in PostgreSQL, so a restart does not lose it.</summary>
public sealed record ExpireApproval(Guid AccountId, Guid ApprovalId) : IAccountMessage
{
    public RequestContext Context { get; } = new(new Actor("system:approval-expiry", "system", Channel.Desk, null),
        $"expire-{ApprovalId:N}", null, null, null);
}

public static class ApprovalExpiry
{
    public static OutgoingMessages ScheduleFor(Decision? decision)
    {
        var messages = new OutgoingMessages();
        if (decision?.Events is [ApprovalRequested request])
            messages.Add(new ExpireApproval(request.AccountId, request.ApprovalId).ScheduledAt(request.ExpiresAt));
        return messages;
    }
}

public static class ExpireApprovalHandler
{
    public static Task<CommandOutcome> Handle(ExpireApproval message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        AccountWrites.ApplyAsync(session, message.Context, message.AccountId, message.ApprovalId,
            (account, _, _) => Task.FromResult(DecidingApprovals.Expire(account, message.ApprovalId, clock.GetUtcNow())), clock, ct);
}
