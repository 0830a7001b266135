using System.Collections.Concurrent;
using Ledger.ProcessorStandIn.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>Gives every endpoint configured without a secret one of its own, and says which, once.</summary>
internal sealed class SigningSecrets(ILogger<SigningSecrets> logger) : IPostConfigureOptions<ProcessorStandInOptions>
{
    // The options are built more than once (IOptions and the start-up validation each build their own), and every
    // build must arrive at the same secret, or the one logged would not be the one used.
    private readonly ConcurrentDictionary<(int, string), string> _generated = new();

    public void PostConfigure(string? name, ProcessorStandInOptions options)
    {
        foreach (var (endpoint, index) in options.Webhooks.Select((e, i) => (e, i)).Where(p => string.IsNullOrEmpty(p.e.Secret)))
            endpoint.Secret = _generated.GetOrAdd((index, endpoint.Url), _ => Generate(endpoint.Url));
    }

    private string Generate(string url)
    {
        var secret = StripeIds.NewSigningSecret();
        // A made-up test secret, printed for the same reason `stripe listen` prints it: the receiver needs it.
        logger.LogWarning("No signing secret configured for webhook endpoint {Url}; signing with {Secret}", url, secret);
        return secret;
    }
}
