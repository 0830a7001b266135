using Ledger.ProcessorStandIn.Webhooks;

namespace Ledger.ProcessorStandIn;

/// <summary>Settings of the stand-in, bound from the configuration section <c>ProcessorStandIn</c>.</summary>
public sealed class ProcessorStandInOptions
{
    public const string Section = "ProcessorStandIn";

    /// <summary>Endpoints every event is sent to (<c>ProcessorStandIn:Webhooks:0:Url</c>, <c>…:Secret</c>).</summary>
    public List<WebhookEndpointOptions> Webhooks { get; set; } = [];

    /// <summary>Attempts per event and endpoint before the stand-in gives up, the first included.</summary>
    public int MaxDeliveryAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry; each later retry waits twice as long as the one before.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an endpoint may take to answer before the attempt counts as failed.</summary>
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Where browsers reach the stand-in, when that is not where the ledger reaches it (in docker compose the ledger calls
    /// <c>http://processor:12111</c>, the browser <c>http://127.0.0.1:12111</c>). Unset: the hosted page's address is
    /// built from each request as it arrived.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long a new Checkout Session stays open (Stripe's default is 24 hours).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(24);
}
