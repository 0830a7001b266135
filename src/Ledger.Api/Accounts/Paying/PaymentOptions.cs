namespace Ledger.Api.Accounts.Paying;

/// <summary>Section <c>Payments</c>: how much a customer may pay ahead, and the card processor.</summary>
public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>What a customer may pay beyond what the account owes (pending payments deducted), in the account's currency.</summary>
    public decimal PrepaymentAllowance { get; set; } = 500m;

    /// <summary>
    /// The fee charged when the bank returns a check or transfer (unpaid, account closed…), by currency (e.g.
    /// <c>Payments:ReturnedPaymentFees:USD = 15</c>); none where unset.
    /// </summary>
    public Dictionary<string, decimal> ReturnedPaymentFees { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The returned-payment fee in <paramref name="currency"/> (none for an unknown account).</summary>
    public decimal ReturnedPaymentFeeIn(string? currency) =>
        currency is not null && ReturnedPaymentFees.TryGetValue(currency, out var fee) ? fee : 0m;

    public StripeOptions Stripe { get; set; } = new();
}

/// <summary>
/// Section <c>Payments:Stripe</c>. Without an <see cref="ApiKey"/> customers cannot pay by card online (503); the desk's
/// terminal, checks, transfers and cash still work. Keys and the signing secret come from configuration, never from the
/// repository (Development's are for the local stand-in only).
/// </summary>
public sealed class StripeOptions
{
    /// <summary>A secret key (<c>sk_live_…</c>, <c>sk_test_…</c>); a restricted key needs Checkout Sessions (write), PaymentIntents and Charges (read).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Stripe's API unless set: the local stand-in in Development and tests.</summary>
    public string? ApiBase { get; set; }

    /// <summary>The endpoint's signing secret (<c>whsec_…</c>) that webhooks are verified with.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>How old a webhook's signature may be before it is refused as a replay, in seconds (Stripe's default: 300).</summary>
    public long SignatureToleranceSeconds { get; set; } = 300;

    /// <summary>Where the hosted page sends the customer back to; <c>{ACCOUNT_ID}</c> and <c>{PAYMENT_ID}</c> are filled in.</summary>
    public string ReturnUrl { get; set; } = "/portal/accounts/{ACCOUNT_ID}/payments/{PAYMENT_ID}";
}
