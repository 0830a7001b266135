using System.Collections.Concurrent;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>
/// Stripe's <c>Idempotency-Key</c>: a POST repeated with the same key gets the first answer back instead of doing the
/// work twice, which is what makes a client's retry after a lost response safe. The same key with other parameters is
/// refused, and so is a second request while the first is still running (Stripe.net retries that 409 by itself).
/// </summary>
internal sealed class IdempotencyKeys : IEndpointFilter
{
    // One store for the whole stand-in, shared by every endpoint's filter instance.
    private readonly ConcurrentDictionary<string, Remembered> _remembered;

    public IdempotencyKeys(IdempotencyMemory memory) => _remembered = memory.Requests;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
            return await next(context);

        var form = await StripeForm.ReadAsync(http.Request, http.RequestAborted);
        var fingerprint = $"{http.Request.Method} {http.Request.Path} {form.Fingerprint()}";
        // Keys belong to an account on Stripe; here the secret key stands for the account.
        var scope = $"{http.Request.Headers.Authorization} {key}";
        var mine = new Remembered(fingerprint);
        var remembered = _remembered.GetOrAdd(scope, mine);
        if (!ReferenceEquals(remembered, mine))
            return Replay(http, key, remembered, fingerprint);

        try
        {
            var result = await next(context);
            // Only answers of work that was done are kept; a refused request may be corrected and sent again.
            if (result is StripeReply { StatusCode: StatusCodes.Status200OK } reply)
                mine.Reply = reply;
            else
                _remembered.TryRemove(new KeyValuePair<string, Remembered>(scope, mine));
            return result;
        }
        catch
        {
            _remembered.TryRemove(new KeyValuePair<string, Remembered>(scope, mine));
            throw;
        }
    }

    private static StripeReply Replay(HttpContext http, string key, Remembered remembered, string fingerprint)
    {
        if (remembered.Fingerprint != fingerprint)
            return StripeErrors.Error(StatusCodes.Status400BadRequest, StripeErrors.Idempotency,
                "Keys for idempotent requests can only be used with the same parameters they were first used with. " +
                $"Try using a key other than '{key}' if you meant to execute a different request.");
        if (remembered.Reply is not { } reply)
            return StripeErrors.Error(StatusCodes.Status409Conflict, StripeErrors.Idempotency,
                "There is currently another in-progress request using this Idempotent Key (that probably means you " +
                $"submitted twice, and the other request is still going through): {key}. Please try again later.");
        http.Response.Headers["Idempotent-Replayed"] = "true";
        return reply;
    }

    internal sealed class Remembered(string fingerprint)
    {
        private StripeReply? _reply;

        public string Fingerprint { get; } = fingerprint;

        public StripeReply? Reply
        {
            get => Volatile.Read(ref _reply);
            set => Volatile.Write(ref _reply, value);
        }
    }
}
