using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// An organisation's OpenID Connect provider for the browser tests: OpenIddict's server (authorization code with PKCE,
/// signed id tokens, end session) on a real loopback port, with its clients and codes in an in-memory store. Only the
/// login page is ours: the user picks who they are (a real provider would ask for a password) or cancels. The portal
/// talks to it exactly as to a production provider, from the browser and from its back channel. In-house systems get
/// access tokens from it with OAuth2 client credentials (<see cref="RegisterMachineClientAsync"/>), signed JWTs for
/// the API's audience, as a production issuer hands them out.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "ledger-portal-tests";
    public const string ClientSecret = "portal-client-secret-for-tests-only";

    /// <summary>The audience of the access tokens it issues to machine clients: the ledger's API.</summary>
    public const string ApiAudience = "ledger-api";

    public static readonly string[] LedgerScopes = ["ledger.read", "ledger.accounts.write", "ledger.charges.write", "ledger.payments.write"];

    private readonly ConcurrentDictionary<string, ProviderUser> _users = new();
    private readonly ConcurrentQueue<string> _ended = new();
    private WebApplication _app = null!;

    public Uri Authority { get; private set; } = null!;

    /// <summary>A user the provider knows: their subject, the roles and customer id their id token carries.</summary>
    public sealed record ProviderUser(string Login, string Subject, string Name, IReadOnlyList<string> Roles, string? CustomerId = null,
        string? CorporateId = null);

    public void Add(ProviderUser user) => _users[user.Login] = user;

    /// <summary>The subjects whose provider session a client ended (RP-initiated logout, named by a valid id token).</summary>
    public IReadOnlyCollection<string> EndedSessions => _ended.ToArray();

    private sealed class ProviderStore(DbContextOptions<ProviderStore> options) : DbContext(options);

    /// <param name="endSession">False: a provider that publishes no end-session endpoint (no RP-initiated logout).</param>
    public static async Task<TestIdentityProvider> StartAsync(bool endSession = true)
    {
        var provider = new TestIdentityProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var storeName = $"provider-{Guid.NewGuid():N}";
        builder.Services.AddDbContext<ProviderStore>(o => o.UseInMemoryDatabase(storeName).UseOpenIddict());
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderStore>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("authorize").SetTokenEndpointUris("token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowClientCredentialsFlow();
                o.RegisterScopes([Scopes.OpenId, Scopes.Profile, .. LedgerScopes]);
                // Access tokens as signed JWTs (RFC 9068), which the API validates against the published keys.
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey().DisableAccessTokenEncryption();
                var host = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
                if (endSession)
                {
                    o.SetEndSessionEndpointUris("end-session");
                    host.EnableEndSessionEndpointPassthrough();
                }
            });
        provider._app = builder.Build();
        provider._app.UseAuthentication();
        provider.Map(provider._app);
        await provider._app.StartAsync();
        var address = provider._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        provider.Authority = new Uri(address.TrimEnd('/') + "/");
        return provider;
    }

    /// <summary>
    /// Registers the portal as a confidential client: its sign-in and signed-out callbacks on its own address (or
    /// addresses: the same portal as reached directly and through a TLS proxy).
    /// </summary>
    public async Task RegisterClientAsync(params Uri[] portal)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            ClientType = ClientTypes.Confidential,
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };
        foreach (var address in portal)
        {
            client.RedirectUris.Add(new Uri(address, "signin-oidc"));
            client.PostLogoutRedirectUris.Add(new Uri(address, "signout-callback-oidc"));
        }
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(client);
    }

    /// <summary>
    /// Registers an in-house system as a confidential client that may use client credentials and ask for
    /// <paramref name="scopes"/> (and no others: OpenIddict refuses a request for any other with invalid_scope).
    /// </summary>
    public async Task RegisterMachineClientAsync(string clientId, string secret, params string[] scopes)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var client = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId, ClientSecret = secret, ClientType = ClientTypes.Confidential,
            Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
        };
        foreach (var granted in scopes)
            client.Permissions.Add(Permissions.Prefixes.Scope + granted);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(client);
    }

    /// <summary>What a system does to call the API: client credentials at the token endpoint; the raw answer.</summary>
    public async Task<HttpResponseMessage> RequestClientTokenAsync(string clientId, string secret, params string[] scopes)
    {
        using var http = new HttpClient();
        return await http.PostAsync(new Uri(Authority, "token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = GrantTypes.ClientCredentials, ["client_id"] = clientId, ["client_secret"] = secret,
            ["scope"] = string.Join(' ', scopes),
        }));
    }

    private void Map(WebApplication app)
    {
        // OpenIddict has authenticated the client and checked its grant type and scopes before this runs.
        app.MapPost("/token", async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            if (request.IsClientCredentialsGrantType())
            {
                // No person: the subject is the client itself (RFC 9068 section 2.2), and no roles.
                var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
                identity.SetClaim(Claims.Subject, request.ClientId).SetClaim(Claims.ClientId, request.ClientId);
                identity.SetScopes(request.GetScopes()).SetResources(ApiAudience);
                identity.SetDestinations(_ => [Destinations.AccessToken]);
                return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            }
            // An authorization code: the principal it was issued for, as the login page signed it in.
            var code = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });

        // OpenIddict has validated the request (client, redirect URI, PKCE challenge) before it reaches this page.
        app.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], async (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest()!;
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
            var decision = form?["decision"].ToString();
            if (decision == "deny")
                return Results.Forbid(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            if (decision == "allow" && _users.TryGetValue(form!["login"].ToString(), out var user))
                return Results.SignIn(Principal(user, request), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

            // The login page posts the authorization request back with the user's answer.
            var hidden = string.Concat(request.GetParameters()
                .Select(p => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(p.Key)}\" value=\"{WebUtility.HtmlEncode((string?)p.Value)}\">"));
            var options = string.Concat(_users.Keys.Order().Select(u => $"<option>{WebUtility.HtmlEncode(u)}</option>"));
            return Results.Content($"""
                <!doctype html><html lang="en"><title>Test identity provider</title>
                <form method="post" action="/authorize">{hidden}
                <label>User <select name="login">{options}</select></label>
                <button type="submit" name="decision" value="allow">Continue</button>
                <button type="submit" name="decision" value="deny">Cancel</button></form></html>
                """, "text/html");
        });

        // RP-initiated logout: OpenIddict has checked the id token hint and the post-logout redirect URI.
        app.MapGet("/end-session", async (HttpContext http) =>
        {
            var hint = await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            if (hint.Principal?.FindFirst(Claims.Subject)?.Value is { } subject)
                _ended.Enqueue(subject);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        });
    }

    private static ClaimsPrincipal Principal(ProviderUser user, OpenIddictRequest request)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject).SetClaim(Claims.Name, user.Name);
        foreach (var role in user.Roles)
            identity.AddClaim(new Claim(Claims.Role, role));
        if (user.CustomerId is not null)
            identity.SetClaim("customer_id", user.CustomerId);
        if (user.CorporateId is not null)
            identity.SetClaim("corporate_id", user.CorporateId);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
    }
}
