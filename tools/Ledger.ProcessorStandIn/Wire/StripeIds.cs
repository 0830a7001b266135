using System.Security.Cryptography;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>Random identifiers shaped like Stripe's: a type prefix and an opaque tail.</summary>
public static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // Ids are random, never sequential: a client that guessed or ordered them would work here and break on Stripe.
    public static string New(string prefix) => $"{prefix}_{RandomNumberGenerator.GetString(Alphabet, 24)}";

    /// <summary>A webhook signing secret as the Stripe CLI and dashboard hand them out.</summary>
    public static string NewSigningSecret() => $"whsec_{RandomNumberGenerator.GetString(Alphabet, 32)}";
}
