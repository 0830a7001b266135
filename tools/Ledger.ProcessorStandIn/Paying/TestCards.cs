namespace Ledger.ProcessorStandIn.Paying;

/// <summary>
/// Stripe's test card numbers that the stand-in honours, with the same outcomes as on Stripe
/// (https://docs.stripe.com/testing). Any other number is refused on the page, as test mode refuses real cards.
/// </summary>
public static class TestCards
{
    public static readonly IReadOnlyList<(string Number, string Description, CardOutcome Outcome)> All =
    [
        ("4242424242424242", "Visa, succeeds", CardOutcome.Approved),
        ("5555555555554444", "Mastercard, succeeds", CardOutcome.Approved),
        ("378282246310005", "American Express, succeeds", CardOutcome.Approved),
        ("4000000000000002", "declined (generic_decline)", CardOutcome.Declined("generic_decline", "Your card was declined.")),
        ("4000000000009995", "declined (insufficient_funds)", CardOutcome.Declined("insufficient_funds", "Your card has insufficient funds.")),
        ("4000000000000259", "succeeds, then the cardholder disputes it", CardOutcome.ApprovedThenDisputed),
    ];

    public static CardOutcome? OutcomeOf(string digits) =>
        All.FirstOrDefault(card => card.Number == digits).Outcome;

    /// <summary>The brand, from the number's leading digits (its issuer identification number).</summary>
    public static string BrandOf(string digits)
    {
        if (digits.StartsWith('4'))
            return "visa";
        if (digits.Length >= 2 && digits[0] == '3' && digits[1] is '4' or '7')
            return "amex";
        if (digits.Length >= 4 && int.TryParse(digits.AsSpan(0, 4), out var first4)
            && (first4 is >= 5100 and <= 5599 || first4 is >= 2221 and <= 2720))
            return "mastercard";
        return "unknown";
    }
}
