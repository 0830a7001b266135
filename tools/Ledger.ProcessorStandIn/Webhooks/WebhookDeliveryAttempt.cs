namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>One try at sending an event to an endpoint, as Stripe's dashboard lists them.</summary>
public sealed record WebhookDeliveryAttempt(
    string EventId,
    string EventType,
    string Url,
    int Attempt,
    DateTimeOffset At,
    int? StatusCode,
    string? Error,
    string Outcome)
{
    public const string Delivered = "delivered";
    public const string RetryScheduled = "retry_scheduled";
    public const string GaveUp = "gave_up";
}
