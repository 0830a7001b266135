using System.Text;

namespace Ledger.Domain.Payments;

/// <summary>International bank account numbers (ISO 13616): two letters, two check digits, up to 30 letters and digits.</summary>
public static class Ibans
{
    /// <summary>The IBAN without spaces, upper-cased, if it is well-formed and its check digits hold; else null.</summary>
    public static string? Normalized(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        var iban = new StringBuilder();
        foreach (var c in text)
            if (c != ' ')
                iban.Append(char.ToUpperInvariant(c));
        var value = iban.ToString();
        if (value.Length is < 15 or > 34 || !char.IsAsciiLetterUpper(value[0]) || !char.IsAsciiLetterUpper(value[1])
            || !char.IsAsciiDigit(value[2]) || !char.IsAsciiDigit(value[3]) || !value.All(char.IsAsciiLetterOrDigit))
            return null;
        var remainder = 0;
        foreach (var c in value[4..] + value[..4])
            remainder = char.IsAsciiDigit(c) ? (remainder * 10 + (c - '0')) % 97 : (remainder * 100 + (c - 'A' + 10)) % 97;
        return remainder == 1 ? value : null;
    }

    /// <summary>The IBAN as shown to people: its country and its last four characters (e.g. "GB…5432").</summary>
    public static string Masked(string iban) => iban.Length <= 6 ? iban : $"{iban[..2]}…{iban[^4..]}";
}
