using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying.Stripe;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Projections.Payments;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Refunding;

/// <summary>Send a refund issued to a card to the processor (cascaded through the outbox from the write that issued it).</summary>
public sealed record PayOutRefund(Guid AccountId, Guid RefundId);

/// <summary>The processor did not answer; Wolverine's error policy (see <see cref="RefundSetup"/>) retries, and at last dead-letters.</summary>
public sealed class RefundPayoutException(Guid refundId, Exception inner) : Exception($"Refund {refundId} did not reach the processor: {inner.Message}", inner);

/// <summary>
/// Asks the processor to refund the card payment the refund names, once (the refund id is Stripe's idempotency key, so a
/// retried message is the same refund). The processor's webhook then settles it; a refusal (the charge was disputed,
/// already refunded) fails it at once, so the money is the customer's credit again.
/// </summary>
public static class PayOutRefundHandler
{
    private static readonly Actor Processor = new("system:stripe", "system", Channel.Processor, null);

    public static async Task Handle(PayOutRefund message, IQuerySession query, IMessageBus bus, CardCheckout checkout, ILogger<PayOutRefund> log,
        CancellationToken ct)
    {
        var refund = await query.LoadAsync<RefundView>(message.RefundId, ct);
        if (refund is not { Status: RefundStatus.Pending, Method: RefundMethod.Card, CardPaymentId: { } paymentId })
            return;
        var payment = await query.LoadAsync<PaymentView>(paymentId, ct);
        var account = await query.LoadAsync<Account>(message.AccountId, ct);
        (string Code, string Message)? refused;
        if (payment?.ConfirmationReference is not { } intent || payment.ConfirmedBy != SettlePaymentSource || account is null)
            refused = ("card-payment-unknown", $"Payment {paymentId} was not settled by the card processor; the refund cannot go back to its card.");
        else
        {
            try
            {
                refused = await checkout.RefundAsync(intent, message.AccountId, message.RefundId, refund.Amount, account.Currency, ct);
            }
            catch (ProcessorUnavailableException e)
            {
                log.LogWarning(e, "Refund {RefundId} not sent yet; it is retried", message.RefundId);
                throw new RefundPayoutException(message.RefundId, e);
            }
        }
        if (refused is not { } why)
            return; // the processor's webhook settles it
        log.LogWarning("The processor refused refund {RefundId}: {Code} {Message}", message.RefundId, why.Code, why.Message);
        var context = new RequestContext(Processor, $"refund-{message.RefundId}", null, $"refund-refused:{message.RefundId}", "refund-refused");
        await Writes.OutcomeAsync(bus, query, new AccountWrite(new FailRefund(message.AccountId, message.RefundId, why.Code, why.Message), context), ct);
    }

    private const string SettlePaymentSource = Domain.Accounts.Paying.SettlePayment.ProcessorSource;
}
