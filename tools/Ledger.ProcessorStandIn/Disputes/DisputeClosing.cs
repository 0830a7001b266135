using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;
using EventTypes = Stripe.EventTypes;

namespace Ledger.ProcessorStandIn.Disputes;

/// <summary>The bank decides a dispute: won (the merchant keeps the money) or lost (it goes back to the cardholder).</summary>
public static class DisputeClosing
{
    public static StripeReply Close(ProcessorRecords records, string disputeId, string? outcome, long now)
    {
        if (!records.Disputes.TryGetValue(disputeId, out var dispute))
            return StripeErrors.ResourceMissing("dispute", disputeId, "dispute");
        if (outcome is not (Dispute.Won or Dispute.Lost))
            return StripeErrors.BadRequest("Say how the dispute ends: outcome=won or outcome=lost.", "outcome");
        if (dispute.IsClosed)
            return StripeErrors.BadRequest($"Dispute {disputeId} is already closed ({dispute.Status}).", "dispute");

        var closed = dispute with { Status = outcome };
        records.Disputes[disputeId] = closed;
        records.Raise(EventTypes.ChargeDisputeClosed, closed, now, ApiRequest.None);
        return StripeReply.Ok(closed);
    }
}
