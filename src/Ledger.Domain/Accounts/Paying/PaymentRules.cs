namespace Ledger.Domain.Accounts.Paying;

/// <summary>The rules every way of paying shares.</summary>
internal static class PaymentRules
{
    public static Rejection Unknown(Guid paymentId) =>
        new("payment-unknown", $"No payment {paymentId} was started on this account.", "paymentId");

    public static readonly Rejection CashOnlyAtDesk =
        new("cash-only-at-desk", "Cash is taken at the desk; online payments are by card, check or transfer.", "method");

    public static Rejection? Reference(string? reference) =>
        reference is { Length: > 100 } ? new Rejection("too-long", "'reference' is at most 100 characters.", "reference") : null;

    /// <summary>A card the desk's terminal authorised: its brand and exactly its last four digits, nothing more.</summary>
    public static Rejection? TerminalCard(string? brand, string? last4)
    {
        if (string.IsNullOrWhiteSpace(brand) || brand.Length > 30)
            return new Rejection("card-brand-required", "A card payment names the card brand (at most 30 characters).", "cardBrand");
        return last4 is { Length: 4 } && last4.All(char.IsAsciiDigit)
            ? null
            : new Rejection("card-last4-invalid", "A card payment carries exactly the last four digits of the card.", "cardLast4");
    }
}
