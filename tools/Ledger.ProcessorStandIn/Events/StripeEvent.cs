using Ledger.ProcessorStandIn.Wire;
using StripeConfiguration = Stripe.StripeConfiguration;

namespace Ledger.ProcessorStandIn.Events;

/// <summary>
/// An event as Stripe sends it to webhook endpoints, kept as the exact JSON text that is signed and delivered: every
/// delivery and resend of one event carries the same bytes, and <c>data.object</c> is the object as it was then.
/// </summary>
public sealed record StripeEvent(string Id, string Type, long Created, string Payload)
{
    public static StripeEvent Create(string type, object dataObject, long created, int pendingWebhooks, ApiRequest request)
    {
        var id = StripeIds.New("evt");
        // The version Stripe.net pins: EventUtility.ConstructEvent refuses events of another release train by default.
        var envelope = new Envelope(id, StripeConfiguration.ApiVersion, created, new EventData(dataObject), pendingWebhooks, request, type);
        return new StripeEvent(id, type, created, StripeJson.Serialize(envelope));
    }

    private sealed record Envelope(
        string Id, string ApiVersion, long Created, EventData Data, int PendingWebhooks, ApiRequest Request, string Type)
    {
        public string Object => "event";
        public bool Livemode => false;
    }

    private sealed record EventData(object Object);
}
