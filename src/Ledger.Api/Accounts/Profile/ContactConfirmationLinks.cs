using System.Security.Cryptography;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts.Profile;
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

    /// <summary>Who confirms: whoever holds the link, which only the new address received; recorded as such, not as a user.</summary>
    public static readonly Actor LinkHolder = new("contact-confirmation-link", "link-holder", Channel.SelfService, null);

    /// <summary>How a confirmation is sent (the API's and the portal page's alike).</summary>
    public static RequestContext Context(HttpContext http) =>
        // Idempotency keys are scoped to a user; every link holder is the same stand-in, so none is kept for them.
        Writes.Context(http, LinkHolder) with { IdempotencyKey = null };

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("ledger.contact-confirmation.v1").ToTimeLimitedDataProtector();

    public string TokenFor(Guid accountId, Guid verificationId, DateTimeOffset expiresAt) =>
        _protector.Protect($"{accountId:N}.{verificationId:N}", expiresAt);

    /// <summary>The link a mail carries: the portal's confirmation page on the service's public address.</summary>
    public string LinkFor(Guid accountId, Guid verificationId, DateTimeOffset expiresAt) =>
        $"{(configuration["Ledger:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/')}{PortalPath}?token={TokenFor(accountId, verificationId, expiresAt)}";

    /// <summary>The confirmation a token asks for, or null when it is forged, altered, truncated or expired.</summary>
    public VerifyContactEmail? ConfirmationFor(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1_000)
            return null;
        try
        {
            var parts = _protector.Unprotect(token).Split('.');
            return parts.Length == 2 && Guid.TryParseExact(parts[0], "N", out var account) && Guid.TryParseExact(parts[1], "N", out var verification)
                ? new VerifyContactEmail(account, verification)
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
