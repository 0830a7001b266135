using System.Globalization;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>Amounts as Stripe carries them (whole numbers of the currency's smallest unit), written for people.</summary>
public static class MinorUnits
{
    // Stripe's zero-decimal currencies: an amount of 500 JPY is ¥500, not ¥5.00.
    private static readonly HashSet<string> ZeroDecimal =
        ["bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"];

    public static string Format(long amount, string currency)
    {
        var text = ZeroDecimal.Contains(currency)
            ? amount.ToString("N0", CultureInfo.InvariantCulture)
            : (amount / 100m).ToString("N2", CultureInfo.InvariantCulture);
        return $"{text} {currency.ToUpperInvariant()}";
    }
}
