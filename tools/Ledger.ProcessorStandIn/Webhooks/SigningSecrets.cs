using Ledger.ProcessorStandIn.Wire;
using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>Gives every endpoint configured without a secret one of its own, and says which, once.</summary>
internal sealed class SigningSecrets(ILogger<SigningSecrets> logger) : IPostConfigureOptions<ProcessorStandInOptions>
{
    public void PostConfigure(string? name, ProcessorStandInOptions options)
    {
        foreach (var endpoint in options.Webhooks.Where(e => string.IsNullOrEmpty(e.Secret)))
        {
            endpoint.Secret = StripeIds.NewSigningSecret();
            // A made-up test secret, printed for the same reason `stripe listen` prints it: the receiver needs it.
            logger.LogWarning("No signing secret configured for webhook endpoint {Url}; signing with {Secret}", endpoint.Url, endpoint.Secret);
        }
    }
}
