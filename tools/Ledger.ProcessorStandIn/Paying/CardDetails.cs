namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// All the stand-in keeps of a card: brand, last four digits and expiry. The full number lives only in the request
/// that carried it, as with Stripe, so nothing here can leak it to the ledger, a log or a test's output.
/// </summary>
public sealed record CardDetails(string Brand, string Last4, int ExpMonth, int ExpYear)
{
    public string Funding => "credit";
}
