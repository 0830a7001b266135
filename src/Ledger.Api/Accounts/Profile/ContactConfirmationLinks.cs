using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Ledger.Api.Accounts.Profile;

/// <summary>
/// The single-use, expiring links that confirm a new contact address. The token is ASP.NET Core Data Protection's
/// time-limited encryption of (account, verification id): made when the mail is sent and stored nowhere, so neither the
/// event store nor the outbox holds a usable link; it expires with the request; and the request it names is used up
/// once confirmed (or replaced by a newer one), which makes the link single-use.
/// </summary>
public sealed class ContactConfirmationLinks(IDataProtectionProvider protection, IConfiguration configuration)
{
    public const string PortalPath = "/portal/confirm-email";

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("ledger.contact-confirmation.v1").ToTimeLimitedDataProtector();

    public string TokenFor(Guid accountId, Guid verificationId, DateTimeOffset expiresAt) =>
        _protector.Protect($"{accountId:N}.{verificationId:N}", expiresAt);

    /// <summary>The link a mail carries: the portal's confirmation page on the service's public address.</summary>
    public string LinkFor(Guid accountId, Guid verificationId, DateTimeOffset expiresAt) =>
        $"{(configuration["Ledger:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/')}{PortalPath}?token={TokenFor(accountId, verificationId, expiresAt)}";

    /// <summary>What a token names, or null when it is forged, altered, truncated or expired.</summary>
    public (Guid AccountId, Guid VerificationId)? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1_000)
            return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('.');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var account) && Guid.TryParseExact(parts[1], "N", out var verification)
                ? (account, verification)
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
