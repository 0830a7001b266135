using Ledger.ProcessorStandIn.Webhooks;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.State;

/// <summary>
/// The stand-in's memory. One lock over all records: a payment touches a session, a PaymentIntent and a charge at
/// once, and a refund must see the amount already refunded, so every change is one step that nothing interleaves.
/// </summary>
public sealed class ProcessorState(WebhookQueue webhooks, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly ProcessorRecords _records = new(webhooks.EndpointCount);

    /// <summary>Applies a change at the current time (Unix seconds, as Stripe's timestamps) and sends the events it raised.</summary>
    public T Change<T>(Func<ProcessorRecords, long, T> change)
    {
        lock (_gate)
        {
            try
            {
                var result = change(_records, clock.GetUtcNow().ToUnixTimeSeconds());
                // Queued under the lock, so webhooks leave in the order the events happened.
                foreach (var raised in _records.TakeRaised())
                    webhooks.Publish(raised);
                return result;
            }
            catch
            {
                _records.TakeRaised();
                throw;
            }
        }
    }

    public T Read<T>(Func<ProcessorRecords, T> read)
    {
        lock (_gate)
            return read(_records);
    }

    /// <summary>Every record held, as JSON: what a test searches to prove what is (and is not) kept.</summary>
    public string Export() => Read(records => StripeJson.Serialize(new
    {
        records.Sessions,
        records.PaymentIntents,
        records.Charges,
        records.Refunds,
        records.Disputes,
        Events = records.Events.Select(e => e.Payload).ToArray(),
    }));
}
