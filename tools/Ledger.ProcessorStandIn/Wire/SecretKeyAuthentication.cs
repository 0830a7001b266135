namespace Ledger.ProcessorStandIn.Wire;

/// <summary>
/// Stripe's API authentication: <c>Authorization: Bearer sk_test_…</c>. Any test-mode secret key is accepted; a live
/// key is refused so that a misconfigured environment never sends live credentials to a stand-in unnoticed.
/// </summary>
internal sealed class SecretKeyAuthentication : IEndpointFilter
{
    private const string TestKeyPrefix = "sk_test_";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        ApiRequest.Begin(http);
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
            return StripeErrors.Unauthorized(
                "You did not provide an API key. You need to provide your API key in the Authorization header, " +
                "using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').");
        }
        var key = header["Bearer ".Length..].Trim();
        if (!key.StartsWith(TestKeyPrefix, StringComparison.Ordinal) || key.Length == TestKeyPrefix.Length)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"Stripe\"";
            return StripeErrors.Unauthorized(
                $"Invalid API Key provided: {Redacted(key)}. The processor stand-in accepts test-mode secret keys (sk_test_...) only.");
        }
        return await next(context);
    }

    // Stripe echoes a refused key with all but its last four characters starred; so do we, for the same reason.
    private static string Redacted(string key) =>
        key.Length <= 4 ? new string('*', key.Length) : new string('*', key.Length - 4) + key[^4..];
}
