using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>
/// The parameters of a Stripe API request, form-encoded with bracketed keys the way Stripe.net writes them:
/// <c>metadata[ledger_payment_id]=…</c>, <c>line_items[0][price_data][unit_amount]=…</c>.
/// </summary>
public sealed class StripeForm(IFormCollection form)
{
    public static async Task<StripeForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken) =>
        new(request.HasFormContentType ? await request.ReadFormAsync(cancellationToken) : FormCollection.Empty);

    public string? Value(string key) =>
        form.TryGetValue(key, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    /// <summary>A whole number parameter: absent is null, anything but digits is <paramref name="invalid"/>.</summary>
    public long? Integer(string key, out bool invalid)
    {
        invalid = false;
        if (Value(key) is not { } text)
            return null;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number;
        invalid = true;
        return null;
    }

    /// <summary>The entries of a hash parameter such as <c>metadata</c>: <c>metadata[key]=value</c>.</summary>
    public IReadOnlyDictionary<string, string> Hash(string name)
    {
        var prefix = name + "[";
        var hash = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length) < 0)
                hash[key[prefix.Length..^1]] = value.ToString();
        }
        return hash;
    }

    /// <summary>The indexes used in an array parameter such as <c>line_items[0][…]</c>, in order.</summary>
    public IReadOnlyList<int> Indexes(string name)
    {
        var prefix = name + "[";
        var indexes = new SortedSet<int>();
        foreach (var key in form.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
                continue;
            var close = key.IndexOf(']', prefix.Length);
            if (close > prefix.Length && int.TryParse(key.AsSpan(prefix.Length, close - prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                indexes.Add(index);
        }
        return [.. indexes];
    }

    /// <summary>What the request asked for, independent of parameter order: two requests that share an idempotency key must match.</summary>
    public string Fingerprint() =>
        string.Join('&', form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
