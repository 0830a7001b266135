using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.CheckoutSessions;

public static class GetSessionEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1.MapGet("/checkout/sessions/{id}", (string id, ProcessorState state) =>
        state.Read(records => records.Sessions.GetValueOrDefault(id)) is { } record
            ? StripeReply.Ok(record.Session)
            : StripeErrors.ResourceMissing("checkout.session", id, "session"));
}
