namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>Every delivery attempt, in order, for tests and the <c>/_standin/deliveries</c> page to ask about.</summary>
public sealed class WebhookDeliveryLog
{
    private readonly Lock _gate = new();
    private readonly List<WebhookDeliveryAttempt> _attempts = [];

    public void Record(WebhookDeliveryAttempt attempt)
    {
        lock (_gate)
            _attempts.Add(attempt);
    }

    public IReadOnlyList<WebhookDeliveryAttempt> Attempts(string? eventId = null)
    {
        lock (_gate)
            return [.. _attempts.Where(a => eventId is null || a.EventId == eventId)];
    }
}
