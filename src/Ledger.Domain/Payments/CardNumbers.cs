namespace Ledger.Domain.Payments;

/// <summary>Recognises primary account numbers so they can be refused before they are stored anywhere.</summary>
public static class CardNumbers
{
    private const int MinDigits = 13;
    private const int MaxDigits = 19;

    /// <summary>
    /// A run of 13 to 19 digits, with any spaces or dashes between them, that passes the Luhn check.
    /// Longer runs (reference numbers, IBAN-like strings) are not card numbers and are let through.
    /// </summary>
    public static bool LooksLikeCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        Span<int> digits = stackalloc int[MaxDigits];
        int count = 0, first = -1, last = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (char.IsAsciiDigit(c))
            {
                if (count == 0)
                    first = i;
                if (count < MaxDigits)
                    digits[count] = c - '0';
                count++;
                last = i;
                continue;
            }
            if ((c == ' ' || c == '-') && count > 0)
                continue; // separators inside a run: "4111 1111-1111  1111"
            if (count is >= MinDigits and <= MaxDigits && StandsAlone(text, first, last) && PassesLuhn(digits[..count]))
                return true;
            count = 0;
        }
        return false;
    }

    // A card number is a word of its own: digits glued to letters are part of something else, such as the hex
    // groups of a GUID ("…85c0-7948-8442-3123456789fd5" must not read as 0794884423123456789).
    private static bool StandsAlone(string text, int first, int last) =>
        (first == 0 || !char.IsAsciiLetter(text[first - 1])) && (last + 1 >= text.Length || !char.IsAsciiLetter(text[last + 1]));

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
