using Ledger.Api.Notifications.Delivering;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Ledger.Domain.Statements;
using Ledger.Domain.Notifications;

namespace Ledger.Api.Accounts.Writing;

/// <summary>A message a write's events call for, sent through Wolverine's outbox in the write's own transaction.</summary>
public sealed record FollowUp(object Message, DateTimeOffset? At = null);

/// <summary>
/// What the events just appended to an account call for, whichever use case appended them: every notice
/// <see cref="Noticing"/> derives, the expiry of every request for approval, the payout of every refund to a card, and the
/// collections reviews (<see cref="Collections.ReviewAccountCollections"/>): on a bill's first day past due, on the day the
/// next dunning step falls due, and at once when money settles or a dispute ends on an account dunning reached. Asked once,
/// by the write path.
/// </summary>
public static class FollowUps
{
    private static FollowUp Review(Guid accountId, DateOnly on) =>
        new(new Collections.ReviewAccountCollections(accountId, Reschedule: true), Collections.CollectionReviews.TimeOn(on));

    private static bool SettlesMoney(object e) =>
        e is PaymentReceived or CreditIssued or EntryCorrected or CorrectionReversed or PaymentReinstated;

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
            if (e.Data is StatementIssued { Content.AmountDue: > 0 } bill)
                yield return Review(bill.AccountId, bill.Content.DueDate.AddDays(1));
            if (e.Data is CollectionStepRaised { NextStepOn: { } next } step)
                yield return Review(step.AccountId, next);
            // Each instalment is looked at the day after its grace ends: met, or the plan is broken.
            if (e.Data is PaymentPlanAgreed plan)
                foreach (var instalment in plan.Instalments)
                    yield return Review(plan.AccountId, instalment.DueOn.AddDays(plan.GraceDays + 1));
            // A broken plan's account goes back on the dunning timers: a review now sets the timer of its next step.
            if (e.Data is PaymentPlanDefaulted broken && !appended.Any(a => a.Data is CollectionStepRaised))
                yield return new FollowUp(new Collections.ReviewAccountCollections(broken.AccountId, Reschedule: true));
        }
        if (before is { Collections.Delinquent: true } or { Status: AccountStatus.Cancelled } or { Collections.Plan: not null }
            && appended.Any(e => e.Data is DisputeResolved || SettlesMoney(e.Data)))
            yield return new FollowUp(new Collections.ReviewAccountCollections(before.Id, Reschedule: false));
    }
}
