using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// Stands in for an organisation's OpenID Connect provider, on a real loopback port: discovery, signing keys, an
/// authorize page where the user picks who they are (a real provider would ask for a password), and a token endpoint
/// that checks the client's secret, the one-time code, the redirect URI and PKCE before it signs an id token (RS256).
/// The portal talks to it exactly as to a production provider: over HTTP, from the browser and from its back channel.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "ledger-portal-tests";
    public const string ClientSecret = "portal-client-secret-for-tests-only";

    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, ProviderUser> _users = new();
    private readonly ConcurrentDictionary<string, Grant> _codes = new();
    private WebApplication _app = null!;
    private bool _endSession = true;

    public Uri Authority { get; private set; } = null!;
    private string Issuer => Authority.ToString().TrimEnd('/');
    private RsaSecurityKey SigningKey => new(_rsa) { KeyId = "tests-1" };

    /// <summary>A user the provider knows: their subject, the roles and customer id their id token carries.</summary>
    public sealed record ProviderUser(string Login, string Subject, string Name, IReadOnlyList<string> Roles, string? CustomerId = null);

    private sealed record Grant(ProviderUser User, string RedirectUri, string Nonce, string CodeChallenge);

    public void Add(ProviderUser user) => _users[user.Login] = user;

    /// <summary>The subjects whose provider session a client ended (RP-initiated logout, named by a valid id token).</summary>
    public IReadOnlyCollection<string> EndedSessions => _ended.ToArray();

    private readonly ConcurrentQueue<string> _ended = new();

    /// <param name="endSession">False: a provider that publishes no end-session endpoint (no RP-initiated logout).</param>
    public static async Task<TestIdentityProvider> StartAsync(bool endSession = true)
    {
        var provider = new TestIdentityProvider { _endSession = endSession };
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        provider._app = builder.Build();
        provider.Map(provider._app);
        await provider._app.StartAsync();
        var address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object?>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Issuer}/authorize",
            ["token_endpoint"] = $"{Issuer}/token",
            ["end_session_endpoint"] = _endSession ? $"{Issuer}/end-session" : null,
            ["jwks_uri"] = $"{Issuer}/jwks",
            ["response_types_supported"] = new[] { "code" },
            ["response_modes_supported"] = new[] { "form_post", "query" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
            ["code_challenge_methods_supported"] = new[] { "S256" },
            ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post", "client_secret_basic" },
        }.Where(p => p.Value is not null).ToDictionary()));

        app.MapGet("/jwks", () =>
        {
            var p = _rsa.ExportParameters(false);
            return Results.Json(new { keys = new[] { new
            {
                kty = "RSA", use = "sig", alg = "RS256", kid = SigningKey.KeyId, n = Base64UrlEncoder.Encode(p.Modulus), e = Base64UrlEncoder.Encode(p.Exponent),
            } } });
        });

        // The login page: the request's parameters ride along in hidden fields, the user picks who they are.
        app.MapGet("/authorize", (HttpRequest request) =>
        {
            var q = request.Query;
            if (q["client_id"] != ClientId || q["response_type"] != "code" || q["code_challenge_method"] != "S256" || string.IsNullOrEmpty(q["code_challenge"]))
                return Results.BadRequest("unsupported authorization request");
            var hidden = string.Concat(new[] { "redirect_uri", "state", "nonce", "code_challenge", "response_mode" }
                .Select(k => $"<input type=\"hidden\" name=\"{k}\" value=\"{WebUtility.HtmlEncode(q[k])}\">"));
            var options = string.Concat(_users.Keys.Order().Select(u => $"<option>{WebUtility.HtmlEncode(u)}</option>"));
            return Results.Content($"""
                <!doctype html><html lang="en"><title>Test identity provider</title>
                <form method="post" action="/authorize">{hidden}
                <label>User <select name="login">{options}</select></label>
                <button type="submit" name="decision" value="allow">Continue</button>
                <button type="submit" name="decision" value="deny">Cancel</button></form></html>
                """, "text/html");
        });

        // The user's answer goes back to the client's redirect URI: a self-submitting form (form_post) or a redirect (query).
        app.MapPost("/authorize", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var redirectUri = form["redirect_uri"].ToString();
            var fields = new Dictionary<string, string> { ["state"] = form["state"].ToString() };
            if (form["decision"] == "allow" && _users.TryGetValue(form["login"].ToString(), out var user))
            {
                var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
                _codes[code] = new Grant(user, redirectUri, form["nonce"].ToString(), form["code_challenge"].ToString());
                fields["code"] = code;
            }
            else
            {
                fields["error"] = "access_denied";
            }
            if (form["response_mode"] == "query")
                return Results.Redirect(redirectUri + "?" + string.Join("&", fields.Select(f => $"{f.Key}={Uri.EscapeDataString(f.Value)}")));
            var inputs = string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{f.Key}\" value=\"{WebUtility.HtmlEncode(f.Value)}\">"));
            return Results.Content($"""
                <!doctype html><html lang="en"><title>Signing in</title><body onload="document.forms[0].submit()">
                <form method="post" action="{WebUtility.HtmlEncode(redirectUri)}">{inputs}<noscript><button>Continue</button></noscript></form></body></html>
                """, "text/html");
        });

        // RP-initiated logout: the id token names whose session ends; the browser goes back where the client asked.
        app.MapGet("/end-session", async (HttpRequest request) =>
        {
            var q = request.Query;
            var hint = await new JsonWebTokenHandler().ValidateTokenAsync(q["id_token_hint"].ToString(), new TokenValidationParameters
            {
                ValidIssuer = Issuer, ValidAudience = ClientId, IssuerSigningKey = SigningKey, ValidateLifetime = false,
            });
            if (!hint.IsValid || string.IsNullOrEmpty(q["post_logout_redirect_uri"]))
                return Results.BadRequest("end-session needs a valid id_token_hint and a post_logout_redirect_uri");
            _ended.Enqueue((string)hint.Claims["sub"]);
            var back = q["post_logout_redirect_uri"].ToString();
            return Results.Redirect(string.IsNullOrEmpty(q["state"]) ? back : $"{back}?state={Uri.EscapeDataString(q["state"]!)}");
        });

        app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var (clientId, secret) = ClientCredentials(request, form);
            if (clientId != ClientId || secret != ClientSecret)
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"].ToString(), out var grant)
                || grant.RedirectUri != form["redirect_uri"] || !PkceMatches(form["code_verifier"].ToString(), grant.CodeChallenge))
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            var now = DateTime.UtcNow;
            var claims = new Dictionary<string, object>
            {
                ["sub"] = grant.User.Subject, ["name"] = grant.User.Name, ["nonce"] = grant.Nonce, ["role"] = grant.User.Roles.ToArray(),
            };
            if (grant.User.CustomerId is not null)
                claims["customer_id"] = grant.User.CustomerId;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer, Audience = ClientId, IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(5), Claims = claims,
                SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.RsaSha256),
            });
            return Results.Json(new
            {
                id_token = idToken, access_token = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)), token_type = "Bearer", expires_in = 300,
            });
        });
    }

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])).Split(':', 2);
            return (Uri.UnescapeDataString(pair[0]), Uri.UnescapeDataString(pair[1]));
        }
        return (form["client_id"], form["client_secret"]);
    }

    private static bool PkceMatches(string verifier, string challenge) =>
        verifier.Length >= 43 && Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge;

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        _rsa.Dispose();
    }
}
