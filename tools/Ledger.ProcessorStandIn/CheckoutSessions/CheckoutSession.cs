namespace Ledger.ProcessorStandIn.CheckoutSessions;

/// <summary>A Checkout Session as Stripe's API shows it (<c>object: "checkout.session"</c>).</summary>
public sealed record CheckoutSession
{
    public const string Open = "open";
    public const string Complete = "complete";
    public const string Expired = "expired";

    public required string Id { get; init; }
    public string Object => "checkout.session";
    public required long AmountSubtotal { get; init; }
    public required long AmountTotal { get; init; }
    public string? CancelUrl { get; init; }
    public string? ClientReferenceId { get; init; }
    public required long Created { get; init; }
    public required string Currency { get; init; }
    public string? CustomerEmail { get; init; }
    public required long ExpiresAt { get; init; }
    public bool Livemode => false;
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public string Mode => "payment";

    /// <summary>
    /// Null until the customer has paid: since API version 2022-08-01 Stripe creates the PaymentIntent only when the
    /// customer confirms, so a client must not expect it on a fresh session.
    /// </summary>
    public string? PaymentIntent { get; init; }

    public IReadOnlyList<string> PaymentMethodTypes => ["card"];
    public required string PaymentStatus { get; init; }
    public required string Status { get; init; }
    public required string SuccessUrl { get; init; }

    /// <summary>The hosted payment page; Stripe clears it once the session is complete or expired.</summary>
    public string? Url { get; init; }
}
