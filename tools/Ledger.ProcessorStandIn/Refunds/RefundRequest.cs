using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.Refunds;

/// <summary>The parameters of <c>POST /v1/refunds</c>: what to refund (a PaymentIntent or a charge), how much, and why.</summary>
public sealed record RefundRequest(
    string? PaymentIntentId, string? ChargeId, long? Amount, string? Reason, IReadOnlyDictionary<string, string> Metadata)
{
    private static readonly string[] Reasons = ["duplicate", "fraudulent", "requested_by_customer"];

    public static (RefundRequest? Request, StripeReply? Refusal) Read(StripeForm form)
    {
        var paymentIntent = form.Value("payment_intent");
        var charge = form.Value("charge");
        if (paymentIntent is null && charge is null)
            return (null, StripeErrors.BadRequest("One of the following params should be provided for this request: payment_intent or charge.", code: "parameter_missing"));
        if (paymentIntent is not null && charge is not null)
            return (null, StripeErrors.BadRequest("Received both charge and payment_intent parameters. Please pass in only one.", "charge"));
        var amount = form.Integer("amount", out var badAmount);
        if (badAmount || amount is 0)
            return (null, StripeErrors.BadRequest("This value must be greater than or equal to 1.", "amount", "parameter_invalid_integer"));
        var reason = form.Value("reason");
        if (reason is not null && !Reasons.Contains(reason))
            return (null, StripeErrors.BadRequest($"Invalid reason: must be one of {string.Join(", ", Reasons)}", "reason"));
        var metadata = form.Hash("metadata");
        if (Wire.Metadata.Refusal("metadata", metadata) is { } refusal)
            return (null, refusal);
        return (new RefundRequest(paymentIntent, charge, amount, reason, metadata), null);
    }
}
