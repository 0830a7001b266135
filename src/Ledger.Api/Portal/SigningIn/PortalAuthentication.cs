using System.Security.Claims;
using Ledger.Api.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Ledger.Api.Portal.SigningIn;

/// <summary>
/// One default scheme that forwards: the API (anything under /api, or any request with an Authorization header)
/// authenticates with bearer tokens exactly as before, and never with the portal's cookie, so a browser cookie
/// cannot be replayed against the JSON API; every other path (the portal) uses the cookie.
/// </summary>
public static class PortalAuthentication
{
    public const string Scheme = "ledger";
    public const string SignInPath = "/portal/sign-in";

    public static AuthenticationBuilder AddPortalSchemes(this AuthenticationBuilder builder, IConfiguration configuration)
    {
        builder.AddPolicyScheme(Scheme, "Bearer for the API, cookie for the portal", o => o.ForwardDefaultSelector = http =>
            http.Request.Headers.Authorization.Count > 0 || http.Request.Path.StartsWithSegments("/api")
                ? JwtBearerDefaults.AuthenticationScheme
                : CookieAuthenticationDefaults.AuthenticationScheme);

        builder.AddCookie(o =>
        {
            o.LoginPath = SignInPath;
            o.Cookie.Name = "ledger.portal";
            o.Cookie.HttpOnly = true;
            // Strict: no other site can make the browser send it, on top of the forms' antiforgery tokens.
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            // Sessions are made coherent at sign-in; this also ends any made before the rule (or by a changed one).
            o.Events.OnValidatePrincipal = c =>
            {
                if (c.Principal is null || LedgerIdentity.Refusal(c.Principal) is not null)
                    c.RejectPrincipal();
                return Task.CompletedTask;
            };
            o.SlidingExpiration = true;
            // A signed-in user on a page their role may not use: a plain 403 page, not a redirect loop.
            o.Events.OnRedirectToAccessDenied = c =>
            {
                c.Response.StatusCode = StatusCodes.Status403Forbidden;
                c.Response.ContentType = "text/html; charset=utf-8";
                return c.Response.WriteAsync(Shared.StatusPages.Html(403, Shared.StatusPages.Forbidden));
            };
        });

        if (OpenIdConnectConfigured(configuration))
            builder.AddOpenIdConnect(o =>
            {
                configuration.GetSection("Portal:OpenIdConnect").Bind(o);
                o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.ResponseType = "code";
                o.SaveTokens = false;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.NameClaimType = "name";
                o.TokenValidationParameters.RoleClaimType = "role";
                // The provider's id token must carry the same claims the API's tokens do (sub, role, customer_id).
                o.Events.OnTokenValidated = c =>
                {
                    var principal = c.Principal!;
                    var roles = principal.FindAll("role").Select(r => r.Value).Where(Roles.All.Contains).ToList();
                    var session = Principal(principal.FindFirstValue("sub") ?? "", roles, principal.FindFirstValue(Actor.CustomerIdClaim),
                        signedInBy: OpenIdConnectDefaults.AuthenticationScheme, brokerId: principal.FindFirstValue(Actor.BrokerIdClaim),
                        corporateId: principal.FindFirstValue(Actor.CorporateIdClaim), corporateNode: principal.FindFirstValue(Actor.CorporateNodeClaim));
                    // The same door as the API's tokens: a ledger role, and a customer only as one well-formed customer id.
                    if (LedgerIdentity.Refusal(session) is { } refusal)
                        c.Fail(SignInFailures.For(refusal));
                    else
                    {
                        c.Principal = session;
                        // Only the id token is kept (in the encrypted cookie): signing out at the provider names the session by it.
                        if ((c.TokenEndpointResponse?.IdToken ?? c.ProtocolMessage.IdToken) is { Length: > 0 } idToken)
                            c.Properties!.StoreTokens([new AuthenticationToken { Name = "id_token", Value = idToken }]);
                    }
                    return Task.CompletedTask;
                };
                // A refused or broken sign-in (user said no at the provider, a replayed or forged callback, a token
                // without a ledger role) ends on the sign-in page with the reason, never in an error page.
                o.Events.OnRemoteFailure = c =>
                {
                    var reason = SignInFailures.Reason(c.Failure);
                    c.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalAuthentication))
                        .LogWarning(c.Failure, "OpenID Connect sign-in failed: {Reason}", reason);
                    c.Response.Redirect($"{SignInPath}?failed={reason}");
                    c.HandleResponse();
                    return Task.CompletedTask;
                };
            });
        return builder;
    }

    /// <summary>
    /// True when the provider publishes where to end its session (RP-initiated logout). Without one, or when its
    /// metadata cannot be read, signing out ends the portal session only; never an error page.
    /// </summary>
    public static async Task<bool> ProviderCanSignOutAsync(HttpContext http)
    {
        var options = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<OpenIdConnectOptions>>()
            .Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            return options.ConfigurationManager is { } manager
                && !string.IsNullOrEmpty((await manager.GetConfigurationAsync(http.RequestAborted)).EndSessionEndpoint);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalAuthentication))
                .LogWarning(e, "The OpenID Connect provider's metadata could not be read; signing out of the portal only.");
            return false;
        }
    }

    public static bool OpenIdConnectConfigured(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration["Portal:OpenIdConnect:Authority"]);

    /// <summary>Demo sign-in (pick any user): only in Development, or where an operator sets Portal:DemoSignIn explicitly.</summary>
    public static bool DemoSignInEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>("Portal:DemoSignIn") ?? environment.IsDevelopment();

    /// <summary>Which sign-in made the portal session (the OpenID Connect scheme's name, or absent for demo sign-in).</summary>
    public const string SignedInByClaim = "signed_in_by";

    /// <summary>The cookie's principal carries the claims a bearer token does, so <see cref="Actor"/> reads both alike.</summary>
    public static ClaimsPrincipal Principal(string userId, IEnumerable<string> roles, string? customerId, string? signedInBy = null,
        string? brokerId = null, string? corporateId = null, string? corporateNode = null)
    {
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, userId), new(ClaimTypes.Name, userId) };
        if (signedInBy is not null)
            claims.Add(new Claim(SignedInByClaim, signedInBy));
        claims.AddRange(roles.Where(Roles.All.Contains).Select(r => new Claim(ClaimTypes.Role, r)));
        if (!string.IsNullOrWhiteSpace(customerId))
            claims.Add(new Claim(Actor.CustomerIdClaim, customerId));
        if (!string.IsNullOrWhiteSpace(brokerId))
            claims.Add(new Claim(Actor.BrokerIdClaim, brokerId));
        if (!string.IsNullOrWhiteSpace(corporateId))
            claims.Add(new Claim(Actor.CorporateIdClaim, corporateId));
        if (!string.IsNullOrWhiteSpace(corporateNode))
            claims.Add(new Claim(Actor.CorporateNodeClaim, corporateNode));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}

/// <summary>Why a sign-in with the organisation's provider did not complete: the codes the sign-in page explains.</summary>
public static class SignInFailures
{
    public const string NoRole = "no-role";
    public const string NoCustomerId = "no-customer-id";
    public const string MixedRoles = "mixed-roles";
    public const string NoCorporateId = "no-corporate-id";
    public const string Failed = "failed";

    public static string Reason(Exception? failure) => failure?.Message is NoRole or NoCustomerId or MixedRoles or NoCorporateId ? failure.Message : Failed;

    public static string For(Ledger.Domain.Rejection refusal) => refusal.Rule switch
    {
        LedgerIdentity.MixedRoles or LedgerIdentity.MixedCorporate => MixedRoles,
        LedgerIdentity.BadCustomerId => NoCustomerId,
        LedgerIdentity.BadCorporateId => NoCorporateId,
        _ => NoRole,
    };

    public static string? Explain(string? code) => code switch
    {
        null or "" => null,
        NoRole => "Your organisation's account has no role in the ledger (customer, csr, manager, auditor or admin). Ask your administrator to grant one.",
        NoCustomerId => "Your customer sign-in carries no customer id, so there are no accounts to show you. Ask your administrator to link your customer record.",
        NoCorporateId => "Your corporate admin sign-in carries no corporate id (or a malformed node), so there is no tree to show you. Ask your administrator to link it.",
        MixedRoles => "Your organisation's account is both a customer and staff in the ledger. One sign-in is one or the other: ask your administrator for separate accounts.",
        _ => "Signing in with your organisation did not complete (cancelled, expired or not valid). Please try again.",
    };
}
