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
/// talks to it exactly as to a production provider, from the browser and from its back channel.
/// </summary>
public sealed class TestIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "ledger-portal-tests";
    public const string ClientSecret = "portal-client-secret-for-tests-only";

    private readonly ConcurrentDictionary<string, ProviderUser> _users = new();
    private readonly ConcurrentQueue<string> _ended = new();
    private WebApplication _app = null!;

    public Uri Authority { get; private set; } = null!;

    /// <summary>A user the provider knows: their subject, the roles and customer id their id token carries.</summary>
    public sealed record ProviderUser(string Login, string Subject, string Name, IReadOnlyList<string> Roles, string? CustomerId = null);

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
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                var host = o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
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

    private void Map(WebApplication app)
    {
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
