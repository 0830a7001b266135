using Ledger.Api.Notifications.Delivering;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Notifications;

namespace Ledger.Api.Accounts.Writing;

/// <summary>A message a write's events call for, sent through Wolverine's outbox in the write's own transaction.</summary>
public sealed record FollowUp(object Message, DateTimeOffset? At = null);

/// <summary>
/// What the events just appended to an account call for, whichever use case appended them: every notice
/// <see cref="Noticing"/> derives, the expiry of every request for approval, and the payout of every refund to a card. Asked once, by the write path.
/// </summary>
public static class FollowUps
{
    public static IEnumerable<FollowUp> For(Account? before, IReadOnlyList<AppendedEvent> appended)
    {
        if (before is not null)
            foreach (var notice in Noticing.For(before, appended))
                yield return new FollowUp(new DeliverNotice(notice));
        foreach (var e in appended)
        {
            if (e.Data is ApprovalRequested request)
                yield return new FollowUp(new ExpireApproval(request.AccountId, request.ApprovalId), request.ExpiresAt);
            if (e.Data is RefundIssued { Method: RefundMethod.Card } refund)
                yield return new FollowUp(new Refunding.PayOutRefund(refund.AccountId, refund.RefundId));
        }
    }
}
