namespace Ledger.ProcessorStandIn.PaymentIntents;

/// <summary>Why the last attempt to pay failed: a PaymentIntent's <c>last_payment_error</c>.</summary>
public sealed record PaymentError(string Code, string DeclineCode, string Message, string Charge)
{
    public string Type => "card_error";
}
