namespace Ledger.Domain.Payments;

/// <summary>Recognises primary account numbers so they can be refused before they are stored anywhere.</summary>
public static class CardNumbers
{
    /// <summary>13 to 19 digits (spaces and dashes allowed between them) that pass the Luhn check.</summary>
    public static bool LooksLikeCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
            return false;
        Span<int> digits = stackalloc int[200];
        var count = 0;
        // Scan every run of digits, separators allowed inside a run; any run of card length that passes Luhn counts.
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c - '0';
                continue;
            }
            if ((c == ' ' || c == '-') && count > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
                continue;
            if (count is >= 13 and <= 19 && PassesLuhn(digits[..count]))
                return true;
            count = 0;
        }
        return false;
    }

    private static bool PassesLuhn(ReadOnlySpan<int> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9) d -= 9;
            }
            sum += d;
        }
        return sum % 10 == 0;
    }
}
