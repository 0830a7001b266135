using System.Text.Json.Serialization;

namespace Ledger.ProcessorStandIn.PaymentIntents;

/// <summary>A Charge as Stripe's API shows it (<c>object: "charge"</c>): one attempt to take money from a card.</summary>
public sealed record Charge
{
    public required string Id { get; init; }
    public string Object => "charge";
    public required long Amount { get; init; }
    public long AmountCaptured => Paid ? Amount : 0;
    public long AmountRefunded { get; init; }
    public bool Captured => Paid;
    public required long Created { get; init; }
    public required string Currency { get; init; }
    public bool Disputed { get; init; }
    public string? FailureCode { get; init; }
    public string? FailureMessage { get; init; }
    public bool Livemode => false;
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public bool Paid => Status == "succeeded";
    public required string PaymentIntent { get; init; }
    public required ChargePaymentMethodDetails PaymentMethodDetails { get; init; }
    public bool Refunded => Paid && AmountRefunded == AmountCaptured;
    public required string Status { get; init; }

    /// <summary>What may still be refunded: captured and not yet refunded.</summary>
    [JsonIgnore]
    public long Refundable => AmountCaptured - AmountRefunded;
}
