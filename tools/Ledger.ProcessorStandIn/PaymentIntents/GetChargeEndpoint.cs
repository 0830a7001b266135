using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.PaymentIntents;

/// <summary><c>GET /v1/charges/{id}</c>: where the card's brand and last four are reported (a PaymentIntent names only its latest charge).</summary>
public static class GetChargeEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/charges/{id}", (string id, ProcessorState state) =>
        state.Read(records => records.Charges.GetValueOrDefault(id)) is { } charge
            ? StripeReply.Ok(charge)
            : StripeErrors.ResourceMissing("charge", id, "id"));
}
