using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Wire;
using EventTypes = Stripe.EventTypes;

namespace Ledger.ProcessorStandIn.CheckoutSessions;

/// <summary>
/// <c>POST /v1/checkout/sessions/{id}/expire</c>: the merchant withdraws an unpaid session (the ledger does this when
/// the payment it stands for is cancelled). Its page stops taking cards and <c>checkout.session.expired</c> is sent.
/// </summary>
public static class ExpireSessionEndpoint
{
    public static void Map(RouteGroupBuilder v1) => v1
        .MapPost("/checkout/sessions/{id}/expire", (string id, HttpContext http, ProcessorState state) =>
            state.Change((records, now) => Expire(records, id, now, ApiRequest.Of(http))))
        .AddEndpointFilter<IdempotencyKeys>();

    private static StripeReply Expire(ProcessorRecords records, string id, long now, ApiRequest request)
    {
        if (!records.Sessions.TryGetValue(id, out var record))
            return StripeErrors.ResourceMissing("checkout.session", id, "session");
        if (record.Session.Status != CheckoutSession.Open)
            return StripeErrors.BadRequest("Only Checkout Sessions with a status in [\"open\"] can be expired.");

        var expired = record.Session with { Status = CheckoutSession.Expired, Url = null, ExpiresAt = now };
        records.Sessions[id] = record with { Session = expired };
        records.Raise(EventTypes.CheckoutSessionExpired, expired, now, request);
        return StripeReply.Ok(expired);
    }
}
