using System.Globalization;

namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// Reads the card fields of the payment page. The number is looked at here and nowhere else: what leaves is a
/// <see cref="PresentedCard"/> (brand, last four, expiry, outcome) or messages that never quote it.
/// </summary>
public static class CardEntry
{
    public const string NumberField = "card_number";
    public const string ExpiryField = "card_expiry";
    public const string CvcField = "card_cvc";

    public static (PresentedCard? Card, IReadOnlyDictionary<string, string> Problems) Read(
        string? number, string? expiry, string? cvc, DateTimeOffset today)
    {
        var problems = new Dictionary<string, string>();
        var digits = new string((number ?? "").Where(c => c is not (' ' or '-')).ToArray());
        CardOutcome? outcome = null;
        if (digits.Length == 0)
            problems[NumberField] = "Enter your card number.";
        else if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit))
            problems[NumberField] = "Your card number is invalid.";
        else if ((outcome = TestCards.OutcomeOf(digits)) is null)
            problems[NumberField] = "This is a test environment: use one of the test cards listed below.";

        var brand = digits.Length > 0 ? TestCards.BrandOf(digits) : "unknown";
        var (month, year) = ReadExpiry(expiry, today, problems);
        var cvcDigits = (cvc ?? "").Trim();
        var cvcLength = brand == "amex" ? 4 : 3;
        if (cvcDigits.Length != cvcLength || !cvcDigits.All(char.IsAsciiDigit))
            problems[CvcField] = $"Your card's security code is {cvcLength} digits.";

        if (problems.Count > 0 || outcome is null)
            return (null, problems);
        return (new PresentedCard(new CardDetails(brand, digits[^4..], month, year), outcome), problems);
    }

    private static (int Month, int Year) ReadExpiry(string? expiry, DateTimeOffset today, Dictionary<string, string> problems)
    {
        var parts = (expiry ?? "").Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var year) || parts[1].Length is not (2 or 4))
        {
            problems[ExpiryField] = "Enter the expiry date as MM / YY.";
            return (0, 0);
        }
        if (year < 100)
            year += 2000;
        if (year < today.Year || (year == today.Year && month < today.Month))
            problems[ExpiryField] = "Your card's expiration date is in the past.";
        return (month, year);
    }
}
