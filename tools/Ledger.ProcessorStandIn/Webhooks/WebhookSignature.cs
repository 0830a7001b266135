using System.Security.Cryptography;
using System.Text;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>
/// Stripe's webhook signature: <c>Stripe-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c> over
/// <c>"&lt;t&gt;.&lt;payload&gt;"</c>, keyed with the whole <c>whsec_…</c> string as UTF-8 (not a decoding of it).
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Stripe-Signature";

    public static string Header(string secret, long timestamp, string payload)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
