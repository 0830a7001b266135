using Ledger.ProcessorStandIn.CheckoutSessions;
using Ledger.ProcessorStandIn.Disputes;
using Ledger.ProcessorStandIn.Events;
using Ledger.ProcessorStandIn.PaymentIntents;
using Ledger.ProcessorStandIn.Refunds;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.State;

/// <summary>
/// Everything the stand-in knows, by id. Only <see cref="ProcessorState"/> hands it out, under its lock; the records
/// in it are immutable, so what is read may be used after the lock is released.
/// </summary>
public sealed class ProcessorRecords(int webhookEndpoints)
{
    private readonly List<StripeEvent> _raised = [];

    public Dictionary<string, SessionRecord> Sessions { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, PaymentIntent> PaymentIntents { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Charge> Charges { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Refund> Refunds { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, Dispute> Disputes { get; } = new(StringComparer.Ordinal);
    public List<StripeEvent> Events { get; } = [];

    /// <summary>Records that something happened; its webhooks go out once the change that raised it is complete.</summary>
    public StripeEvent Raise(string type, object dataObject, long now, ApiRequest request)
    {
        var raised = StripeEvent.Create(type, dataObject, now, webhookEndpoints, request);
        Events.Add(raised);
        _raised.Add(raised);
        return raised;
    }

    internal IReadOnlyList<StripeEvent> TakeRaised()
    {
        var raised = _raised.ToArray();
        _raised.Clear();
        return raised;
    }
}
