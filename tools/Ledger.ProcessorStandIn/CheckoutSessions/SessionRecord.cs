namespace Ledger.ProcessorStandIn.CheckoutSessions;

/// <summary>
/// What the stand-in keeps about a session beyond what the API shows: its lines (Stripe returns them only on request),
/// the metadata the PaymentIntent will carry, and the PaymentIntent of a declined attempt that a retry goes on with.
/// </summary>
public sealed record SessionRecord(
    CheckoutSession Session,
    IReadOnlyList<SessionLineItem> LineItems,
    IReadOnlyDictionary<string, string> PaymentIntentMetadata,
    string? AttemptedPaymentIntentId);
