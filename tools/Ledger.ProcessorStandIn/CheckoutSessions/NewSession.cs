using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.CheckoutSessions;

/// <summary>
/// The parameters of <c>POST /v1/checkout/sessions</c> that the stand-in understands: one-off payments
/// (<c>mode=payment</c>) of inline-priced lines (<c>line_items[n][price_data]</c>), all in one currency.
/// </summary>
public sealed record NewSession(
    IReadOnlyList<SessionLineItem> LineItems,
    string Currency,
    string SuccessUrl,
    string? CancelUrl,
    string? ClientReferenceId,
    string? CustomerEmail,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyDictionary<string, string> PaymentIntentMetadata)
{
    public static (NewSession? Session, StripeReply? Refusal) Read(StripeForm form)
    {
        if (form.Value("mode") is not { } mode)
            return (null, StripeErrors.MissingParam("mode"));
        if (mode != "payment")
            return (null, StripeErrors.BadRequest($"The processor stand-in supports mode=payment only, not '{mode}'.", "mode"));
        if (form.Value("success_url") is not { } successUrl)
            return (null, StripeErrors.MissingParam("success_url"));

        var indexes = form.Indexes("line_items");
        if (indexes.Count == 0)
            return (null, StripeErrors.MissingParam("line_items"));
        var lines = new List<SessionLineItem>();
        string? currency = null;
        foreach (var index in indexes)
        {
            var (line, lineCurrency, refusal) = ReadLine(form, $"line_items[{index}]");
            if (refusal is not null)
                return (null, refusal);
            if (currency is not null && lineCurrency != currency)
                return (null, StripeErrors.BadRequest("All line items must be in the same currency.", $"line_items[{index}][price_data][currency]"));
            currency = lineCurrency;
            lines.Add(line!);
        }

        var metadata = form.Hash("metadata");
        var intentMetadata = form.Hash("payment_intent_data[metadata]");
        var metadataRefusal = Wire.Metadata.Refusal("metadata", metadata) ?? Wire.Metadata.Refusal("payment_intent_data[metadata]", intentMetadata);
        if (metadataRefusal is not null)
            return (null, metadataRefusal);
        var total = lines.Sum(l => (decimal)l.Amount);
        if (total <= 0)
            return (null, StripeErrors.BadRequest("The Checkout Session's total amount due must be greater than zero.", "line_items"));
        if (total > long.MaxValue)
            return (null, StripeErrors.BadRequest("This amount is too large.", "line_items", "amount_too_large"));

        return (new NewSession(lines, currency!, successUrl, form.Value("cancel_url"), form.Value("client_reference_id"),
            form.Value("customer_email"), metadata, intentMetadata), null);
    }

    private static (SessionLineItem? Line, string? Currency, StripeReply? Refusal) ReadLine(StripeForm form, string line)
    {
        if (form.Value($"{line}[price]") is not null)
            return (null, null, StripeErrors.BadRequest("The processor stand-in has no Price objects: give each line inline price_data.", $"{line}[price]"));
        var currency = form.Value($"{line}[price_data][currency]");
        if (currency is null)
            return (null, null, StripeErrors.MissingParam($"{line}[price_data][currency]"));
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetterLower))
            return (null, null, StripeErrors.BadRequest($"Invalid currency: {currency}. Currencies are three-letter ISO codes in lowercase.", $"{line}[price_data][currency]"));
        if (form.Value($"{line}[price_data][product_data][name]") is not { } name)
            return (null, null, StripeErrors.MissingParam($"{line}[price_data][product_data][name]"));
        var unitAmount = form.Integer($"{line}[price_data][unit_amount]", out var badAmount);
        if (badAmount)
            return (null, null, StripeErrors.InvalidInteger($"{line}[price_data][unit_amount]"));
        if (unitAmount is null)
            return (null, null, StripeErrors.MissingParam($"{line}[price_data][unit_amount]"));
        var quantity = form.Integer($"{line}[quantity]", out var badQuantity);
        if (badQuantity || quantity is 0)
            return (null, null, StripeErrors.BadRequest("Quantity must be a whole number of at least 1.", $"{line}[quantity]"));
        if (quantity is null)
            return (null, null, StripeErrors.MissingParam($"{line}[quantity]"));
        if (unitAmount > long.MaxValue / quantity)
            return (null, null, StripeErrors.BadRequest("This amount is too large.", $"{line}[price_data][unit_amount]", "amount_too_large"));
        return (new SessionLineItem(name, unitAmount.Value, quantity.Value), currency, null);
    }

    public SessionRecord Open(string id, string url, long now, TimeSpan lifetime)
    {
        var total = LineItems.Sum(l => l.Amount);
        var session = new CheckoutSession
        {
            Id = id,
            AmountSubtotal = total,
            AmountTotal = total,
            CancelUrl = CancelUrl,
            ClientReferenceId = ClientReferenceId,
            Created = now,
            Currency = Currency,
            CustomerEmail = CustomerEmail,
            ExpiresAt = now + (long)lifetime.TotalSeconds,
            Metadata = Metadata,
            PaymentIntent = null,
            PaymentStatus = "unpaid",
            Status = CheckoutSession.Open,
            SuccessUrl = SuccessUrl,
            Url = url,
        };
        return new SessionRecord(session, LineItems, PaymentIntentMetadata, AttemptedPaymentIntentId: null);
    }
}
