using System.Text.Json.Serialization;

namespace Ledger.ProcessorStandIn.Disputes;

/// <summary>A Dispute as Stripe's API shows it (<c>object: "dispute"</c>): the cardholder's bank contesting a charge.</summary>
public sealed record Dispute
{
    public const string NeedsResponse = "needs_response";
    public const string Won = "won";
    public const string Lost = "lost";

    public required string Id { get; init; }
    public string Object => "dispute";
    public required long Amount { get; init; }
    public required string Charge { get; init; }
    public required long Created { get; init; }
    public required string Currency { get; init; }
    public bool IsChargeRefundable => false;
    public bool Livemode => false;
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
    public required string PaymentIntent { get; init; }
    public string Reason => "fraudulent";
    public required string Status { get; init; }

    [JsonIgnore]
    public bool IsClosed => Status is Won or Lost;
}
