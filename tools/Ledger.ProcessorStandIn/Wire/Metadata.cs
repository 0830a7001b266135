namespace Ledger.ProcessorStandIn.Wire;

/// <summary>Stripe's limits on metadata, checked here so that a ledger that breaks them finds out before production.</summary>
public static class Metadata
{
    private const int MaxKeys = 50;
    private const int MaxKeyLength = 40;
    private const int MaxValueLength = 500;

    public static StripeReply? Refusal(string param, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.Count > MaxKeys)
            return StripeErrors.BadRequest($"Metadata can have up to {MaxKeys} keys.", param);
        foreach (var (key, value) in metadata)
        {
            if (key.Length > MaxKeyLength)
                return StripeErrors.BadRequest($"Metadata keys can be up to {MaxKeyLength} characters long.", $"{param}[{key}]");
            if (value.Length > MaxValueLength)
                return StripeErrors.BadRequest($"Metadata values can be up to {MaxValueLength} characters long.", $"{param}[{key}]");
        }
        return null;
    }
}
