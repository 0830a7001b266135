namespace Ledger.Api.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The waits between attempts while a receiver fails, comma-separated TimeSpans, growing: about a day and a half in
    /// all, after which the subscription's retry goes to the dead letters (replay it, or retry the subscription, to go
    /// on). A receiver back within that time gets everything it missed, in order, at its next attempt.
    /// </summary>
    public string RetryDelays { get; set; } =
        "00:00:05, 00:00:30, 00:02:00, 00:05:00, 00:10:00, 00:15:00, 00:30:00, 00:30:00, 01:00:00, 02:00:00, 04:00:00, 08:00:00, 08:00:00, 08:00:00";

    /// <summary>How long one delivery may take before it counts as failed (a slow receiver holds up only its own deliveries).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the previous secret keeps signing after a rotation, unless the rotation names its own overlap.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Whether a subscription may point at this machine (loopback). Off by default: a URL on the service's own host is
    /// a way into what only the host can reach. Development and the tests turn it on for receivers on localhost.
    /// </summary>
    public bool AllowLoopback { get; set; }

    public TimeSpan[] Delays() => Notifications.NotificationOptions.Delays(RetryDelays);
}
