namespace Ledger.ProcessorStandIn.Refunds;

/// <summary>A Refund as Stripe's API shows it (<c>object: "refund"</c>). Card refunds here succeed at once.</summary>
public sealed record Refund
{
    public required string Id { get; init; }
    public string Object => "refund";
    public required long Amount { get; init; }
    public required string Charge { get; init; }
    public required long Created { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required string PaymentIntent { get; init; }
    public string? Reason { get; init; }
    public string Status => "succeeded";
}
