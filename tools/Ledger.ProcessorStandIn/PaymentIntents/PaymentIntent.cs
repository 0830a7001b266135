namespace Ledger.ProcessorStandIn.PaymentIntents;

/// <summary>A PaymentIntent as Stripe's API shows it (<c>object: "payment_intent"</c>).</summary>
public sealed record PaymentIntent
{
    public const string RequiresPaymentMethod = "requires_payment_method";
    public const string Succeeded = "succeeded";

    public required string Id { get; init; }
    public string Object => "payment_intent";
    public required long Amount { get; init; }
    public long AmountReceived { get; init; }
    public string CaptureMethod => "automatic";
    public string ConfirmationMethod => "automatic";
    public required long Created { get; init; }
    public required string Currency { get; init; }
    public PaymentError? LastPaymentError { get; init; }
    public string? LatestCharge { get; init; }
    public bool Livemode => false;
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public IReadOnlyList<string> PaymentMethodTypes => ["card"];
    public required string Status { get; init; }
}
