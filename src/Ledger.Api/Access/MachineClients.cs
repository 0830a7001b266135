using System.Security.Claims;
using Ledger.Domain;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Payments;

namespace Ledger.Api.Access;

/// <summary>
/// In-house systems (billing, CRM, the data warehouse, a bank feed) call the API as themselves: an OAuth2
/// client-credentials token from the organisation's issuer, carrying <c>ledger.*</c> scopes instead of roles. What a
/// scope opens is the route's policy (<see cref="AccessPolicies"/>); who it is comes from the token's client id, and
/// every event it causes names <c>client:&lt;id&gt;</c> on channel <c>integration</c> — the same actor a queue of that
/// client records.
/// </summary>
public static class MachineClients
{
    /// <summary>Read every account, its line items and bills (a data warehouse, a CRM).</summary>
    public const string Read = "ledger.read";

    /// <summary>Open accounts (a CRM or an order system).</summary>
    public const string AccountsWrite = "ledger.accounts.write";

    /// <summary>Post charges, one at a time or in bulk (a rating engine).</summary>
    public const string ChargesWrite = "ledger.charges.write";

    /// <summary>Apply money the bank saw arrive: single bank credits and camt statements (a bank feed).</summary>
    public const string PaymentsWrite = "ledger.payments.write";

    public static readonly string[] All = [Read, AccountsWrite, ChargesWrite, PaymentsWrite];

    /// <summary>Recorded as every machine client's role; not a role a token can claim.</summary>
    public const string Role = "client";

    public const string NoClientId = "client-token-without-client-id";
    public const string PersonWithScopes = "person-token-with-client-scopes";

    // RFC 9068 names the client in client_id; Entra ID, Keycloak and Auth0 in azp (also appid in Entra's v1 tokens).
    private static readonly string[] ClientIdClaims = ["client_id", "azp", "appid"];

    // RFC 8693/9068 carry scopes in "scope" (one space-separated string, or an array); Entra ID in "scp", which
    // JwtBearer's inbound claim mapping renames.
    private static readonly string[] ScopeClaims = ["scope", "scp", "http://schemas.microsoft.com/identity/claims/scope"];

    /// <summary>The <c>ledger.*</c> scopes this principal holds (none for a person's token or a portal session).</summary>
    public static IReadOnlyList<string> ScopesOf(ClaimsPrincipal user) => user.Claims
        .Where(c => ScopeClaims.Contains(c.Type))
        .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Where(All.Contains).Distinct().ToList();

    public static bool IsMachine(ClaimsPrincipal user) => ScopesOf(user).Count > 0;

    public static bool HasScope(ClaimsPrincipal user, string scope) => ScopesOf(user).Contains(scope);

    /// <summary>The client's id, read from the token; null when it names none (refused at the door).</summary>
    public static string? ClientIdOf(ClaimsPrincipal user) =>
        ClientIdClaims.Select(user.FindFirstValue).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    /// <summary>
    /// Why a token with ledger scopes may not act, or null when it may. It is a client's, never a person's: it holds
    /// no ledger role and no customer id, and its subject, when it has one, is the client itself (RFC 9068 §2.2, or
    /// Auth0's <c>id@clients</c>). A person's token that an issuer let carry our scopes (a user signed in to an app
    /// that asked for them) is refused, so nothing a person does is ever recorded as a system's, nor the reverse.
    /// </summary>
    public static Rejection? Refusal(ClaimsPrincipal user)
    {
        var client = ClientIdOf(user);
        if (client is null || !CustomerIds.IsValid(client) || CardNumbers.LooksLikeCardNumber(client))
            return new Rejection(NoClientId,
                "A token with ledger.* scopes is a client's (OAuth2 client credentials) and names it in 'client_id' or 'azp': " +
                "1 to 64 letters, digits, '.', '_', ':' or '-'.");
        var subject = Actor.SubjectOf(user);
        var person = Roles.All.Any(user.IsInRole) || user.HasClaim(c => c.Type == Actor.CustomerIdClaim)
            || subject is not null && subject != client && subject != $"{client}@clients";
        return person
            ? new Rejection(PersonWithScopes,
                "The token carries ledger.* scopes, which are granted to systems, but speaks for a person (a ledger role, a customer id, " +
                "or a subject other than its client). A person uses a token with their roles; a system uses client credentials.")
            : null;
    }
}
