using System.Globalization;
using System.Text.RegularExpressions;

namespace Ledger.Domain.Payments;

/// <summary>Recognises primary account numbers so they can be refused before they are stored anywhere.</summary>
public static partial class CardNumbers
{
    /// <summary>The rule every refusal of a card number names, wherever it was found.</summary>
    public const string Rule = "card-number-not-allowed";

    private const int MinDigits = 13;
    private const int MaxDigits = 19;

    // People group a card's digits with whatever is at hand ("4111.1111/1111_1111", a zero-width space pasted from a
    // web page); up to three such characters in a row still join one number. Colons are not among them, so clock times
    // ("2026-11-30 18:47:54") stay dates and times.
    private const int MaxSeparatorRun = 3;

    /// <summary>
    /// A run of 13 to 19 decimal digits (any script's: full-width and Arabic-Indic digits are digits too) that stands
    /// apart from letters, with separators between them, and passes the Luhn check. Longer runs (reference numbers,
    /// IBAN-like strings) are not card numbers and are let through.
    /// </summary>
    public static bool LooksLikeCardNumber(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return false;
        // A GUID is an identifier, never a card number, whatever its hex groups hold: one whose last two groups are all
        // decimal digits ("…-8938-040594272995") would otherwise read as a 16-digit number, and one in 20,000 of those
        // passes Luhn. The ledger's own entry ids were refused that way.
        if (text.Contains('-'))
            text = Guids().Replace(text, m => new string(' ', m.Length));
        Span<int> digits = stackalloc int[MaxDigits];
        int count = 0, first = -1, last = -1, separators = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (char.IsDigit(c))
            {
                if (count == 0)
                    first = i;
                if (count < MaxDigits)
                    digits[count] = (int)char.GetNumericValue(c);
                count++;
                last = i;
                separators = 0;
                continue;
            }
            if (count > 0 && IsSeparator(c) && ++separators <= MaxSeparatorRun)
                continue;
            if (count is >= MinDigits and <= MaxDigits && StandsAlone(text, first, last) && PassesLuhn(digits[..count]))
                return true;
            count = 0;
            separators = 0;
        }
        return false;
    }

    [GeneratedRegex("(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])")]
    private static partial Regex Guids();

    private static bool IsSeparator(char c) => c != '\0' && (char.IsWhiteSpace(c) || char.IsSeparator(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.DashPunctuation or UnicodeCategory.Format
        || c is '.' or ',' or '/' or '\\' or '_' or '|' or '*' or '~' or '·' or '•');

    // A card number is a word of its own: digits glued to letters are part of something else, such as the hex
    // groups of a GUID ("…85c0-7948-8442-3123456789fd5" must not read as 0794884423123456789).
    private static bool StandsAlone(string text, int first, int last) =>
        (first == 0 || !char.IsLetter(text[first - 1])) && (last + 1 >= text.Length || !char.IsLetter(text[last + 1]));

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
