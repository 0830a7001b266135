using Ledger.ProcessorStandIn.Disputes;
using Ledger.ProcessorStandIn.PaymentIntents;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;
using EventTypes = Stripe.EventTypes;

namespace Ledger.ProcessorStandIn.Refunds;

/// <summary>
/// Refunds all or part of a successful charge. Never more than was captured and not yet refunded, and not while the
/// cardholder's bank disputes the charge (the money is already on its way back through the dispute).
/// </summary>
public static class Refunding
{
    public static StripeReply Refund(ProcessorRecords records, RefundRequest request, long now, ApiRequest apiRequest)
    {
        var (charge, missing) = FindCharge(records, request);
        if (missing is not null)
            return missing;
        if (!charge!.Paid)
            return StripeErrors.BadRequest("This PaymentIntent does not have a successful charge to refund.", request.PaymentIntentId is null ? "charge" : "payment_intent");
        if (records.Disputes.Values.Any(d => d.Charge == charge.Id && d.Status != Dispute.Won))
            return StripeErrors.BadRequest($"Charge {charge.Id} has been charged back; cannot issue a refund.", code: "charge_disputed");
        if (charge.Refundable == 0)
            return StripeErrors.BadRequest($"Charge {charge.Id} has already been refunded.", code: "charge_already_refunded");

        var amount = request.Amount ?? charge.Refundable;
        if (amount > charge.Refundable)
            return StripeErrors.BadRequest(
                $"Refund amount ({MinorUnits.Format(amount, charge.Currency)}) is greater than unrefunded amount on charge ({MinorUnits.Format(charge.Refundable, charge.Currency)})",
                "amount");

        var refund = new Refund
        {
            Id = StripeIds.New("re"),
            Amount = amount,
            Charge = charge.Id,
            Created = now,
            Currency = charge.Currency,
            Metadata = request.Metadata,
            PaymentIntent = charge.PaymentIntent,
            Reason = request.Reason,
        };
        var refunded = charge with { AmountRefunded = charge.AmountRefunded + amount };
        records.Refunds[refund.Id] = refund;
        records.Charges[charge.Id] = refunded;
        records.Raise(EventTypes.RefundCreated, refund, now, apiRequest);
        records.Raise(EventTypes.ChargeRefunded, refunded, now, apiRequest);
        return StripeReply.Ok(refund);
    }

    private static (Charge? Charge, StripeReply? Missing) FindCharge(ProcessorRecords records, RefundRequest request)
    {
        if (request.PaymentIntentId is { } intentId)
        {
            if (!records.PaymentIntents.TryGetValue(intentId, out var intent))
                return (null, StripeErrors.ResourceMissing("payment_intent", intentId, "payment_intent"));
            return intent.LatestCharge is { } latest
                ? (records.Charges[latest], null)
                : (null, StripeErrors.BadRequest("This PaymentIntent does not have a successful charge to refund.", "payment_intent"));
        }
        var chargeId = request.ChargeId!;
        return records.Charges.TryGetValue(chargeId, out var charge)
            ? (charge, null)
            : (null, StripeErrors.ResourceMissing("charge", chargeId, "charge"));
    }
}
