using JasperFx.Events;
using Ledger.Domain.Accounts;
using Marten.Events.Projections;

namespace Ledger.Projections.Payments;

public static class RefundStatus
{
    public const string Pending = "pending";
    public const string Settled = "settled";
    public const string Failed = "failed";
}

/// <summary>One refund from issue to end: pending, then settled (the processor or the bank confirmed it left) or failed.</summary>
public sealed record RefundView(Guid Id, Guid AccountId, decimal Amount, RefundMethod Method, Guid? CardPaymentId, string? DestinationAccount,
    string Reference, string Reason, string Status, DateTimeOffset IssuedAt)
{
    public DateTimeOffset? SettledAt { get; init; }
    public string? ConfirmedBy { get; init; }
    public string? ConfirmationReference { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureReason { get; init; }
}

/// <summary>Inline: the payout to the processor and the bank import read a refund as just written.</summary>
public sealed class RefundProjection : MultiStreamProjection<RefundView, Guid>
{
    public RefundProjection()
    {
        Identity<RefundIssued>(e => e.RefundId);
        Identity<RefundSettled>(e => e.RefundId);
        Identity<RefundFailed>(e => e.RefundId);
    }

    public override RefundView? Evolve(RefundView? view, Guid id, IEvent e) => (view, e.Data) switch
    {
        (_, RefundIssued r) => new RefundView(r.RefundId, r.AccountId, r.Amount, r.Method, r.CardPaymentId, r.DestinationAccount, r.Reference, r.Reason,
            RefundStatus.Pending, r.IssuedAt),
        (not null, RefundSettled s) => view with
        {
            Status = RefundStatus.Settled, SettledAt = s.SettledAt, ConfirmedBy = s.Source, ConfirmationReference = s.ConfirmationReference,
        },
        (not null, RefundFailed f) => view with { Status = RefundStatus.Failed, FailedAt = f.FailedAt, FailureCode = f.ReasonCode, FailureReason = f.Reason },
        _ => view,
    };
}
