using Ledger.ProcessorStandIn.Events;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>One event to send to one endpoint; <paramref name="Attempt"/> counts from 1.</summary>
public sealed record WebhookDeliveryJob(StripeEvent Event, WebhookEndpointOptions Endpoint, int Attempt);
