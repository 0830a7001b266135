using JasperFx.Events;
using Ledger.Domain.Accounts;
using Ledger.Domain.Payments;
using Marten.Events.Projections;

namespace Ledger.Projections.Payments;

public static class PaymentStatus
{
    public const string Pending = "pending";
    public const string Settled = "settled";
    public const string Failed = "failed";
    public const string ChargedBack = "charged-back";
    public const string Returned = "returned";
}

/// <summary>
/// One payment from start to end: pending, then settled or failed (and a settled one charged back or returned), with the processor's and the bank's references and
/// the card's brand and last four (never more). Payments taken at the desk begin settled.
/// </summary>
public sealed record PaymentView(Guid Id, Guid AccountId, decimal Amount, PaymentMethod Method, string? Reference, string Status,
    DateTimeOffset StartedAt)
{
    public string? ProcessorReference { get; init; }

    /// <summary>For a check or transfer: the creditor reference the payer quotes, by which the bank's statement finds the payment.</summary>
    public string? ReferenceToQuote { get; init; }
    public string? ConfirmedBy { get; init; }
    public string? ConfirmationReference { get; init; }
    public string? CardBrand { get; init; }
    public string? CardLast4 { get; init; }
    public DateTimeOffset? SettledAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureReason { get; init; }

    /// <summary>What of it went back to the payer and was not won back (chargebacks, returns).</summary>
    public decimal ReversedAmount { get; init; }
}

/// <summary>Inline: the answer to a payment, and the webhook that settles it, read the payment as just written.</summary>
public sealed class PaymentProjection : MultiStreamProjection<PaymentView, Guid>
{
    public PaymentProjection()
    {
        Identity<PaymentInitiated>(e => e.PaymentId);
        Identity<PaymentConfirmed>(e => e.PaymentId);
        Identity<PaymentReceived>(e => e.EntryId);
        Identity<PaymentFailed>(e => e.PaymentId);
        Identity<PaymentReversed>(e => e.PaymentId);
        Identity<PaymentReinstated>(e => e.PaymentId);
    }

    public override PaymentView? Evolve(PaymentView? view, Guid id, IEvent e) => (view, e.Data) switch
    {
        (_, PaymentInitiated p) => new PaymentView(p.PaymentId, p.AccountId, p.Amount, p.Method, p.Reference, PaymentStatus.Pending, p.InitiatedAt)
        {
            ProcessorReference = p.ProcessorReference,
            ReferenceToQuote = p.Method is PaymentMethod.Check or PaymentMethod.Transfer ? BankReferences.For(p.PaymentId) : null,
        },
        (not null, PaymentConfirmed c) => view with { ConfirmedBy = c.Source, ConfirmationReference = c.ConfirmationReference },
        (null, PaymentReceived r) => new PaymentView(r.EntryId, r.AccountId, r.Amount, r.Method, r.Reference, PaymentStatus.Settled, r.ReceivedAt)
        {
            CardBrand = r.CardBrand, CardLast4 = r.CardLast4, SettledAt = r.ReceivedAt,
        },
        (not null, PaymentReceived r) => view with { Status = PaymentStatus.Settled, CardBrand = r.CardBrand, CardLast4 = r.CardLast4, SettledAt = r.ReceivedAt },
        (not null, PaymentReversed r) => view with
        {
            Status = r.Kind == ReversalKind.Chargeback ? PaymentStatus.ChargedBack : PaymentStatus.Returned, ReversedAmount = view.ReversedAmount + r.Amount,
        },
        (not null, PaymentReinstated r) => view with
        {
            ReversedAmount = view.ReversedAmount - r.Amount, Status = view.ReversedAmount - r.Amount == 0m ? PaymentStatus.Settled : view.Status,
        },
        (not null, PaymentFailed f) => view with { Status = PaymentStatus.Failed, FailedAt = f.FailedAt, FailureCode = f.ReasonCode, FailureReason = f.Reason },
        _ => view,
    };
}
