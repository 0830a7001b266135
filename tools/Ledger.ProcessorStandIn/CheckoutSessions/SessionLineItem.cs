namespace Ledger.ProcessorStandIn.CheckoutSessions;

/// <summary>One line of what the customer is asked to pay, in the currency's smallest unit.</summary>
public sealed record SessionLineItem(string Name, long UnitAmount, long Quantity)
{
    public long Amount => checked(UnitAmount * Quantity);
}
