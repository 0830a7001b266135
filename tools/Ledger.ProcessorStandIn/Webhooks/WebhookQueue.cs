using System.Threading.Channels;
using Ledger.ProcessorStandIn.Events;
using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>Deliveries waiting to be sent: one per event and configured endpoint, and retries when they come due.</summary>
public sealed class WebhookQueue(IOptions<ProcessorStandInOptions> options)
{
    private readonly Channel<WebhookDeliveryJob> _jobs = Channel.CreateUnbounded<WebhookDeliveryJob>(new() { SingleReader = true });
    private readonly IReadOnlyList<WebhookEndpointOptions> _endpoints = options.Value.Webhooks;
    private int _failuresToSimulate;

    public int EndpointCount => _endpoints.Count;

    internal ChannelReader<WebhookDeliveryJob> Jobs => _jobs.Reader;

    /// <summary>Sends an event to every endpoint; a resend is the same event, with the same id and bytes, sent again.</summary>
    public void Publish(StripeEvent stripeEvent)
    {
        foreach (var endpoint in _endpoints)
            _jobs.Writer.TryWrite(new WebhookDeliveryJob(stripeEvent, endpoint, 1));
    }

    internal void Requeue(WebhookDeliveryJob retry) => _jobs.Writer.TryWrite(retry);

    /// <summary>Makes the next <paramref name="count"/> attempts fail as if the endpoint could not be reached.</summary>
    public void FailNext(int count) => Interlocked.Add(ref _failuresToSimulate, count);

    internal bool TakeSimulatedFailure()
    {
        while (true)
        {
            var left = Volatile.Read(ref _failuresToSimulate);
            if (left <= 0)
                return false;
            if (Interlocked.CompareExchange(ref _failuresToSimulate, left - 1, left) == left)
                return true;
        }
    }
}
