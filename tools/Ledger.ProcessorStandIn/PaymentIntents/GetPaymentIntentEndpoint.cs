using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.PaymentIntents;

public static class GetPaymentIntentEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/payment_intents/{id}", (string id, ProcessorState state) =>
        state.Read(records => records.PaymentIntents.GetValueOrDefault(id)) is { } intent
            ? StripeReply.Ok(intent)
            : StripeErrors.ResourceMissing("payment_intent", id, "intent"));
}
