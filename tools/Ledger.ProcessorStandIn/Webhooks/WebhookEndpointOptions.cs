namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>Where events are sent, and the secret their signatures are made with.</summary>
public sealed class WebhookEndpointOptions
{
    public string Url { get; set; } = "";

    /// <summary>A <c>whsec_…</c> secret; one is generated (and logged once) when none is configured, as <c>stripe listen</c> does.</summary>
    public string? Secret { get; set; }
}
