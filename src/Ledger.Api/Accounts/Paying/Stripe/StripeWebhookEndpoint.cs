using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Projections.Payments;
using Marten;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Wolverine;

namespace Ledger.Api.Accounts.Paying.Stripe;

/// <summary>
/// A processor event the ledger could not apply (a payment it does not know, an amount that differs): kept whole, with
/// why, for staff to look into. Never dropped.
/// </summary>
public sealed record ProcessorEventForReview(string Id, string Type, string Reason, string Payload, DateTimeOffset ReceivedAt);

/// <summary>
/// Stripe's webhooks. Each is verified with Stripe.net's own check of the <c>Stripe-Signature</c> header (HMAC and
/// timestamp tolerance); a missing, wrong or stale signature is refused with 400, recorded nowhere but the security log.
/// A verified event is applied through the one write path before the answer, under the event's id as Idempotency-Key:
/// the same event delivered twice applies once, and a crash before the answer leaves the processor to deliver it again.
/// </summary>
public static class StripeWebhookEndpoint
{
    public const string Path = "/api/payment-webhooks/stripe";
    private static readonly Actor Processor = new("system:stripe", "system", Channel.Processor, null);

    public static void Map(WebApplication app) => app
        .MapPost(Path, async (HttpContext http, IOptions<PaymentOptions> options, IMessageBus bus, IQuerySession query, IDocumentStore store,
            CardCheckout checkout, ILoggerFactory logs, TimeProvider clock) =>
        {
            var log = logs.CreateLogger("Ledger.Security.Webhooks");
            var stripe = options.Value.Stripe;
            if (string.IsNullOrWhiteSpace(stripe.WebhookSecret))
            {
                log.LogError("A Stripe webhook arrived but Payments:Stripe:WebhookSecret is not set; answered 503 so that Stripe retries");
                return Problems.Rule(new Rejection("webhooks-not-configured", "This endpoint has no signing secret configured."), 503);
            }
            var payload = await new StreamReader(http.Request.Body).ReadToEndAsync(http.RequestAborted);
            Event stripeEvent;
            try
            {
                var signature = http.Request.Headers["Stripe-Signature"].ToString();
                if (string.IsNullOrWhiteSpace(signature))
                    throw new StripeException("No Stripe-Signature header.");
                stripeEvent = EventUtility.ConstructEvent(payload, signature, stripe.WebhookSecret, stripe.SignatureToleranceSeconds,
                    throwOnApiVersionMismatch: false);
            }
            catch (Exception e) when (e is StripeException or ArgumentException or FormatException or Newtonsoft.Json.JsonException)
            {
                log.LogWarning("Refused a Stripe webhook from {RemoteIp}: {Why}", http.Connection.RemoteIpAddress, e.Message);
                return Problems.Rule(new Rejection("webhook-signature-invalid",
                    "The Stripe-Signature header is missing, does not match the payload, or is too old.", "Stripe-Signature"), 400);
            }
            if (stripeEvent.ApiVersion != StripeConfiguration.ApiVersion)
                log.LogInformation("Stripe event {EventId} has API version {Version}; this build reads {Pinned}", stripeEvent.Id, stripeEvent.ApiVersion,
                    StripeConfiguration.ApiVersion);

            Translated? command;
            try
            {
                command = await CommandFor(stripeEvent, checkout, query, http.RequestAborted);
            }
            catch (ProcessorUnavailableException e)
            {
                log.LogWarning(e, "Stripe event {EventId} not applied yet: the processor did not answer; Stripe delivers it again", stripeEvent.Id);
                return Problems.Rule(new Rejection("payment-processor-unavailable", "Not applied yet; deliver the event again."), 503);
            }
            if (command is null)
                return Results.Ok(new { received = stripeEvent.Id, applied = false, note = $"{stripeEvent.Type} needs nothing from the ledger" });
            if (command.Unreadable is { } unreadable)
                return await KeepForReview(store, stripeEvent, payload, unreadable, clock, http.RequestAborted);

            var context = new RequestContext(Processor, stripeEvent.Id, null, $"stripe:{stripeEvent.Id}", "stripe-event");
            var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command.Command!, context), http.RequestAborted);
            return outcome.Kind switch
            {
                OutcomeKind.Applied => Results.Ok(new { received = stripeEvent.Id, applied = outcome.Issued, paymentId = outcome.ResourceId }),
                OutcomeKind.NotFound => await KeepForReview(store, stripeEvent, payload, $"account {outcome.AccountId} is not in this ledger", clock, http.RequestAborted),
                _ => await KeepForReview(store, stripeEvent, payload, outcome.Rejection?.Message ?? outcome.Kind.ToString(), clock, http.RequestAborted),
            };
        })
        .AllowAnonymous() // the signature is the credential
        .ExcludeFromDescription();

    private sealed record Translated(Domain.Accounts.IAccountCommand? Command, string? Unreadable);

    /// <summary>The ledger's command for a processor event, null for an event the ledger does not act on.</summary>
    private static async Task<Translated?> CommandFor(Event stripeEvent, CardCheckout checkout, IQuerySession query, CancellationToken ct)
    {
        switch (stripeEvent.Type)
        {
            case EventTypes.PaymentIntentSucceeded when stripeEvent.Data.Object is PaymentIntent intent:
            {
                if (CardCheckout.LedgerIds(intent.Metadata) is not var (accountId, paymentId))
                    return NoLedgerIds("PaymentIntent", intent.Id);
                var (brand, last4) = await checkout.CardAsync(intent.LatestChargeId, ct);
                return new(new SettlePayment(accountId, paymentId, CardCheckout.FromMinorUnits(intent.AmountReceived, intent.Currency.ToUpperInvariant()),
                    brand, last4, SettlePayment.ProcessorSource, intent.Id), null);
            }
            case EventTypes.PaymentIntentPaymentFailed when stripeEvent.Data.Object is PaymentIntent intent:
            {
                if (CardCheckout.LedgerIds(intent.Metadata) is not var (accountId, paymentId))
                    return NoLedgerIds("PaymentIntent", intent.Id);
                // Checkout lets the customer try another card on the same page after a decline. A failed payment is final
                // here, so its page is ended first; if a second card was accepted meanwhile, this failure is history.
                if (await query.LoadAsync<PaymentView>(paymentId, ct) is { Status: PaymentStatus.Pending, ProcessorReference: { } session }
                    && !await checkout.EndAsync(session, ct))
                    return null;
                var error = intent.LastPaymentError;
                return new(new FailPayment(accountId, paymentId, error?.DeclineCode ?? error?.Code ?? "payment_failed",
                    error?.Message ?? "The card processor declined the payment."), null);
            }
            case EventTypes.CheckoutSessionExpired when stripeEvent.Data.Object is Session session:
            {
                if (CardCheckout.LedgerIds(session.Metadata) is not var (accountId, paymentId))
                    return NoLedgerIds("Checkout Session", session.Id);
                return new(new FailPayment(accountId, paymentId, "expired", "The payment page expired before a card was accepted."), null);
            }
            // A chargeback: the card holder's bank takes the money back when the dispute opens; won, it is given back.
            case EventTypes.ChargeDisputeCreated when stripeEvent.Data.Object is Dispute dispute:
            {
                if (await checkout.PaymentOfAsync(dispute.PaymentIntentId, ct) is not var (accountId, paymentId))
                    return new(null, $"Dispute {dispute.Id} is on PaymentIntent {dispute.PaymentIntentId}, which names no ledger payment");
                return new(new ReversePayment(accountId, paymentId, ReversalIdFor(dispute), CardCheckout.FromMinorUnits(dispute.Amount,
                        dispute.Currency.ToUpperInvariant()), ReversalKind.Chargeback, SettlePayment.ProcessorSource, dispute.Id, dispute.Reason ?? "dispute",
                    $"The card holder disputed the payment with their bank ({(dispute.Reason ?? "no reason given").Replace('_', ' ')})."), null);
            }
            case EventTypes.ChargeDisputeClosed when stripeEvent.Data.Object is Dispute dispute:
            {
                if (dispute.Status != "won")
                    return null; // lost: the money stays with the card holder, as recorded when the dispute opened
                if (await checkout.PaymentOfAsync(dispute.PaymentIntentId, ct) is not var (accountId, _))
                    return new(null, $"Dispute {dispute.Id} is on PaymentIntent {dispute.PaymentIntentId}, which names no ledger payment");
                return new(new ReinstatePayment(accountId, ReversalIdFor(dispute)), null);
            }
            // A refund to a card: the processor says it left (succeeded), or that it could not be made.
            case EventTypes.RefundCreated or EventTypes.RefundUpdated or EventTypes.RefundFailed when stripeEvent.Data.Object is Refund refund:
            {
                if (CardCheckout.RefundIds(refund.Metadata) is not var (accountId, refundId))
                    return new(null, $"Refund {refund.Id} carries no {CardCheckout.RefundIdKey}/{CardCheckout.AccountIdKey}");
                return refund.Status switch
                {
                    "succeeded" => new(new SettleRefund(accountId, refundId, SettleRefund.ProcessorSource, refund.Id), null),
                    "failed" or "canceled" => new(new FailRefund(accountId, refundId, refund.FailureReason ?? refund.Status,
                        $"The card processor could not make the refund ({(refund.FailureReason ?? refund.Status).Replace('_', ' ')})."), null),
                    _ => null, // pending, requires_action: the next event says how it ended
                };
            }
            default:
                return null;
        }
    }

    private static Translated NoLedgerIds(string what, string id) =>
        new(null, $"{what} {id} carries no {CardCheckout.PaymentIdKey}/{CardCheckout.AccountIdKey}");

    /// <summary>One reversal per dispute, however often the processor reports it.</summary>
    private static Guid ReversalIdFor(Dispute dispute) => Domain.DeterministicId.From($"stripe-dispute|{dispute.Id}");

    private static async Task<IResult> KeepForReview(IDocumentStore store, Event stripeEvent, string payload, string reason, TimeProvider clock,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(new ProcessorEventForReview(stripeEvent.Id, stripeEvent.Type, reason, payload, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        return Results.Ok(new { received = stripeEvent.Id, applied = false, keptForReview = reason });
    }
}
