using Ledger.Domain.Accounts;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Ledger.Api.Accounts.Paying.Stripe;

/// <summary>The processor's hosted page for one payment: its Checkout Session and the page's address.</summary>
public sealed record CheckoutPage(string SessionId, string Url);

/// <summary>The processor could not be reached, refused our credentials, or is not configured: nothing was started.</summary>
public sealed class ProcessorUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Card payments online, through Stripe's hosted Checkout page: no card number ever reaches the ledger. Our payment id
/// and account id travel in the session's and the PaymentIntent's metadata, so a webhook names the payment it is about.
/// </summary>
public sealed class CardCheckout(IOptions<PaymentOptions> options, IHttpClientFactory httpClients, IConfiguration configuration, ILogger<CardCheckout> log)
{
    public const string HttpClientName = "stripe";
    public const string PaymentIdKey = "ledger_payment_id";
    public const string AccountIdKey = "ledger_account_id";
    public const string RefundIdKey = "ledger_refund_id";

    private readonly Lazy<IStripeClient?> _client = new(() => Build(options.Value.Stripe, httpClients));

    public bool Available => _client.Value is not null;

    private IStripeClient Client => _client.Value ?? throw new ProcessorUnavailableException("Card payments online are not configured (Payments:Stripe:ApiKey).");

    private static IStripeClient? Build(StripeOptions stripe, IHttpClientFactory httpClients) =>
        string.IsNullOrWhiteSpace(stripe.ApiKey)
            ? null
            : new StripeClient(new StripeClientOptions
            {
                ApiKey = stripe.ApiKey,
                ApiBase = string.IsNullOrWhiteSpace(stripe.ApiBase) ? null : stripe.ApiBase.TrimEnd('/'),
                HttpClient = new SystemNetHttpClient(httpClients.CreateClient(HttpClientName)),
            });

    /// <summary>
    /// Opens the hosted page for a payment. Stripe's idempotency key is our payment id, so a retried request (the payment
    /// id is drawn from the caller's Idempotency-Key) gets the same page rather than a second one.
    /// </summary>
    public async Task<CheckoutPage> OpenAsync(Domain.Accounts.Account account, Guid paymentId, decimal amount, CancellationToken ct)
    {
        var metadata = new Dictionary<string, string> { [PaymentIdKey] = paymentId.ToString(), [AccountIdKey] = account.Id.ToString() };
        var returnUrl = ReturnUrl(account.Id, paymentId);
        var session = await Call(() => new SessionService(Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = account.Currency.ToLowerInvariant(),
                        UnitAmount = MinorUnits(amount, account.Currency),
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = $"Payment to account {account.AccountNumber}" },
                    },
                },
            ],
            SuccessUrl = returnUrl,
            CancelUrl = returnUrl,
            ClientReferenceId = paymentId.ToString(),
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
        }, new RequestOptions { IdempotencyKey = $"ledger-payment-{paymentId}" }, ct));
        return new CheckoutPage(session.Id, session.Url);
    }

    /// <summary>The hosted page of a session still open, or null once it is paid, expired or unknown.</summary>
    public async Task<string?> PageUrlAsync(string sessionId, CancellationToken ct)
    {
        var session = await Call(() => new SessionService(Client).GetAsync(sessionId, cancellationToken: ct));
        return session.Status == "open" ? session.Url : null;
    }

    /// <summary>Closes a page whose payment the ledger refused, so it cannot be paid; best effort (it expires by itself anyway).</summary>
    public async Task CloseAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            await new SessionService(Client).ExpireAsync(sessionId, cancellationToken: ct);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException)
        {
            log.LogWarning(e, "Could not close checkout session {SessionId}; it expires by itself", sessionId);
        }
    }

    /// <summary>
    /// Ends a session's page for good, so a payment the ledger records as failed cannot be paid on it afterwards. False
    /// when the session was paid meanwhile (a second card succeeded on the same page): then the payment is not failed.
    /// </summary>
    public async Task<bool> EndAsync(string sessionId, CancellationToken ct)
    {
        var sessions = new SessionService(Client);
        try
        {
            await sessions.ExpireAsync(sessionId, cancellationToken: ct);
            return true;
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            var session = await Call(() => sessions.GetAsync(sessionId, cancellationToken: ct));
            return session.Status != "complete";
        }
        catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException { InnerException: TimeoutException })
        {
            throw new ProcessorUnavailableException($"The card processor did not answer: {e.Message}", e);
        }
    }

    /// <summary>
    /// Sends a refund back to the card of a settled PaymentIntent, once (the refund id is the idempotency key), with the
    /// ledger's ids in its metadata. Null when the processor took it; its refusal (code, message) when it will not
    /// (already refunded, disputed); <see cref="ProcessorUnavailableException"/> when it did not answer.
    /// </summary>
    public async Task<(string Code, string Message)?> RefundAsync(string paymentIntentId, Guid accountId, Guid refundId, decimal amount, string currency,
        CancellationToken ct)
    {
        try
        {
            await new RefundService(Client).CreateAsync(new RefundCreateOptions
            {
                PaymentIntent = paymentIntentId,
                Amount = MinorUnits(amount, currency),
                Reason = "requested_by_customer",
                Metadata = new Dictionary<string, string> { [RefundIdKey] = refundId.ToString(), [AccountIdKey] = accountId.ToString() },
            }, new RequestOptions { IdempotencyKey = $"ledger-refund-{refundId}" }, ct);
            return null;
        }
        catch (StripeException e) when ((int?)e.HttpStatusCode is >= 400 and < 500 and not 429)
        {
            return (e.StripeError?.Code ?? "refund_refused", e.StripeError?.Message ?? e.Message);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException || e is TaskCanceledException { InnerException: TimeoutException })
        {
            throw new ProcessorUnavailableException($"The card processor did not answer: {e.Message}", e);
        }
    }

    /// <summary>Our account and refund ids, as <see cref="RefundAsync"/> put them in the Refund's metadata.</summary>
    public static (Guid AccountId, Guid RefundId)? RefundIds(IDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(AccountIdKey, out var account) && Guid.TryParse(account, out var accountId)
        && metadata.TryGetValue(RefundIdKey, out var refund) && Guid.TryParse(refund, out var refundId)
            ? (accountId, refundId)
            : null;

    /// <summary>The ledger payment a PaymentIntent stands for, from the ids it carries in its metadata (null when it carries none).</summary>
    public async Task<(Guid AccountId, Guid PaymentId)?> PaymentOfAsync(string? paymentIntentId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(paymentIntentId))
            return null;
        var intent = await Call(() => new PaymentIntentService(Client).GetAsync(paymentIntentId, cancellationToken: ct));
        return LedgerIds(intent.Metadata);
    }

    /// <summary>Our account and payment ids, as <see cref="OpenAsync"/> put them in a processor object's metadata.</summary>
    public static (Guid AccountId, Guid PaymentId)? LedgerIds(IDictionary<string, string>? metadata) =>
        metadata is not null
        && metadata.TryGetValue(AccountIdKey, out var account) && Guid.TryParse(account, out var accountId)
        && metadata.TryGetValue(PaymentIdKey, out var payment) && Guid.TryParse(payment, out var paymentId)
            ? (accountId, paymentId)
            : null;

    /// <summary>The card's brand and last four digits, as the processor reports them for a charge (nothing else is kept).</summary>
    public async Task<(string? Brand, string? Last4)> CardAsync(string? chargeId, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(chargeId))
            return (null, null);
        try
        {
            var charge = await new ChargeService(Client).GetAsync(chargeId, cancellationToken: ct);
            return (charge.PaymentMethodDetails?.Card?.Brand, charge.PaymentMethodDetails?.Card?.Last4);
        }
        catch (StripeException e)
        {
            log.LogWarning(e, "Charge {ChargeId} could not be read; the payment is recorded without its card's brand", chargeId);
            return (null, null);
        }
    }

    /// <summary>
    /// What Stripe will not take although the ledger would: in a three-decimal currency (BHD, JOD, KWD, OMR, TND) card
    /// amounts must end in 0 in the smallest unit. Refused before anything is sent, naming the amount.
    /// </summary>
    public static Domain.Rejection? Refuses(decimal amount, string currency) =>
        Domain.Money.Currency.Of(currency).MinorUnits == 3 && MinorUnits(amount, currency) % 10 != 0
            ? new Domain.Rejection("card-amount-not-accepted",
                $"Card payments in {currency} are taken in steps of 0.010; {amount} cannot be paid by card (pay {Math.Round(amount, 2, MidpointRounding.ToZero):0.000} or pay by transfer).",
                "amount")
            : null;

    /// <summary>Stripe carries amounts in the currency's smallest unit (cents; yen for JPY).</summary>
    public static long MinorUnits(decimal amount, string currency) =>
        (long)(amount * Pow10(Domain.Money.Currency.Of(currency).MinorUnits));

    public static decimal FromMinorUnits(long amount, string currency) =>
        amount / (decimal)Pow10(Domain.Money.Currency.Of(currency).MinorUnits);

    private static long Pow10(int digits) => digits switch { 0 => 1, 1 => 10, 2 => 100, 3 => 1000, _ => throw new ArgumentOutOfRangeException(nameof(digits)) };

    private string ReturnUrl(Guid accountId, Guid paymentId)
    {
        var url = options.Value.Stripe.ReturnUrl.Replace("{ACCOUNT_ID}", accountId.ToString()).Replace("{PAYMENT_ID}", paymentId.ToString());
        return Uri.IsWellFormedUriString(url, UriKind.Absolute)
            ? url
            : $"{(configuration["Ledger:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/')}/{url.TrimStart('/')}";
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StripeException or HttpRequestException || e is TaskCanceledException { InnerException: TimeoutException })
        {
            throw new ProcessorUnavailableException($"The card processor did not answer as expected: {e.Message}", e);
        }
    }
}
