using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>How Stripe writes its objects: snake_case members, and absent values written as <c>null</c>.</summary>
public static class StripeJson
{
    // Stripe sends `"payment_intent": null` rather than leaving the member out, and clients tell the two apart,
    // so nulls are written. Dictionary keys (metadata) keep the caller's spelling.
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = true,
    };

    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);
}
