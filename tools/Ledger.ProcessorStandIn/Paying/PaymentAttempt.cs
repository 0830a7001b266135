using Ledger.ProcessorStandIn.CheckoutSessions;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary>How a customer's try at paying a session ended.</summary>
public abstract record PaymentAttempt
{
    public sealed record Paid(CheckoutSession Session) : PaymentAttempt;

    /// <summary>The card was refused; the session stays open for another card, as on Stripe Checkout.</summary>
    public sealed record Declined(SessionRecord Record, string Message) : PaymentAttempt;

    /// <summary>No such session, or it is complete or expired: there is nothing to pay.</summary>
    public sealed record NotPayable(CheckoutSession? Session) : PaymentAttempt;
}
