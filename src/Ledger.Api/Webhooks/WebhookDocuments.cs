using JasperFx.Events;
using Ledger.Domain.Webhooks;
using Wolverine;

namespace Ledger.Api.Webhooks;

/// <summary>A signing secret (<c>whsec_</c> and base64). Kept as a document, never in an event: events are forever and copied to auditors.</summary>
public sealed class WebhookSecret
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public string Value { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// One account's events on their way to one subscription: the last stream version the receiver has had
/// (<see cref="Delivered"/>) and the last one handed over for it (<see cref="Pending"/>). Every delivery starts after
/// <see cref="Delivered"/>, so whatever order Wolverine hands the messages over in (retries, recovery, replays), the
/// receiver gets the account's events in stream order. Optimistic concurrency keeps two writers from moving it back.
/// </summary>
public sealed class WebhookLane
{
    public string Id { get; set; } = "";
    public Guid SubscriptionId { get; set; }
    public Guid AccountId { get; set; }
    public long Delivered { get; set; }
    public long Pending { get; set; }

    public static string IdFor(Guid subscriptionId, Guid accountId) => $"{subscriptionId:N}:{accountId:N}";

    /// <summary>One lane's messages are handled one at a time, in the order they were sent (a partition of the queue per lane).</summary>
    public static DeliveryOptions InLane(Guid subscriptionId, Guid accountId) => new() { GroupId = IdFor(subscriptionId, accountId) };

    /// <summary>Whether this subscription is sent this event: one of its types, recorded after it subscribed (paused or not).</summary>
    public static bool Covers(WebhookSubscription subscription, IEvent e) =>
        e.Timestamp >= subscription.SubscribedAt && (subscription.EventTypes.Contains(WebhookSubscription.AllTypes) || subscription.EventTypes.Contains(e.EventTypeName));
}

/// <summary>
/// Whether a subscription's receiver is taking deliveries. After a failure the subscription holds every lane (new
/// events only move <see cref="WebhookLane.Pending"/>) and one retry message probes the failed lane with growing waits;
/// when it gets through, every held lane is caught up in order.
/// </summary>
public sealed class WebhookHealth
{
    public Guid Id { get; set; }
    public DateTimeOffset? FailingSince { get; set; }
    public Guid? FailedAccountId { get; set; }
    public int Failures { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? LastFailureAt { get; set; }
    public DateTimeOffset? RecoveredAt { get; set; }
}

/// <summary>One attempt to deliver one event: the subscription's delivery log.</summary>
public sealed class WebhookDeliveryAttempt
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public Guid EventId { get; set; }
    public Guid AccountId { get; set; }
    public long Version { get; set; }
    public string EventType { get; set; } = "";
    public DateTimeOffset AttemptedAt { get; set; }
    public bool Delivered { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public long Milliseconds { get; set; }
}
