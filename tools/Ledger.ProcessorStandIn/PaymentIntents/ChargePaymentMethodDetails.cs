using Ledger.ProcessorStandIn.Paying;

namespace Ledger.ProcessorStandIn.PaymentIntents;

/// <summary>The card a charge was made on, as far as it may be known after the fact: brand, last four digits, expiry.</summary>
public sealed record ChargePaymentMethodDetails(CardDetails Card)
{
    public string Type => "card";
}
