using Ledger.Api.Access;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Statements;

namespace Ledger.Api.Portal;

/// <summary>
/// The web portal: server-rendered Razor Pages in this process, one folder per activity under Portal/. Pages send
/// the same Wolverine messages and call the same queries as the API endpoints; nothing here decides a business rule.
/// </summary>
public static class PortalSetup
{
    public static IServiceCollection AddLedgerPortal(this IServiceCollection services)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Portal";
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SigningIn/SignIn");
            o.Conventions.AllowAnonymousToPage("/ConfirmingEmail/ConfirmEmail");
            // A feedback link is its own credential, as the API's feedback endpoint is.
            o.Conventions.AllowAnonymousToPage("/Requests/Feedback");
            // A page is one endpoint for all its handlers: only what its forms post falls under the stricter limits.
            o.Conventions.AddPageApplicationModelConvention("/SigningIn/SignIn",
                page => page.EndpointMetadata.Add(new RateLimited(RateLimitRule.SignIn, HttpMethods.Post)));
            o.Conventions.AddPageApplicationModelConvention("/Accounts/Profile",
                page => page.EndpointMetadata.Add(new RateLimited(RateLimitRule.ProfileChanges, HttpMethods.Post)));
            // A request's form takes its documents: each is opened and checked, as the API's uploads are.
            o.Conventions.AddPageApplicationModelConvention("/Requests/Detail",
                page => page.EndpointMetadata.Add(new RateLimited(RateLimitRule.Uploads, HttpMethods.Post)));
        });
        return services;
    }

    public static WebApplication MapLedgerPortal(this WebApplication app)
    {
        app.MapRazorPages();
        // The site's root is the portal (the API lives under /api, its description under /swagger).
        app.MapGet("/", () => Results.Redirect("/portal")).AllowAnonymous().ExcludeFromDescription();
        var css = PortalStyles.Load();
        app.MapGet("/portal/portal.css", (HttpContext http) =>
            {
                http.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.Text(css, "text/css");
            })
            .AllowAnonymous().ExcludeFromDescription();
        // The bill as issued: the API's own reprint (verified against the recorded hash, recorded as a reprint), behind the cookie.
        app.MapGet("/portal/accounts/{accountId:guid}/statements/{statementId:guid}/pdf", StatementReprints.Reprint)
            .RequireAuthorization(AccessPolicies.ReadAccounts).RateLimited(RateLimitRule.Downloads).ExcludeFromDescription();
        // A service request's documents and signed proof, as the API serves them, behind the cookie.
        app.MapGet("/portal/requests/{requestId:guid}/documents/{documentId:guid}", ServiceRequests.RequestFiles.Document)
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead).RateLimited(RateLimitRule.Downloads).ExcludeFromDescription();
        app.MapGet("/portal/requests/{requestId:guid}/proof", ServiceRequests.RequestFiles.Proof)
            .RequireAuthorization(AccessPolicies.ServiceRequestsRead).RateLimited(RateLimitRule.Downloads).ExcludeFromDescription();
        // A corporate admin's spend report as CSV: the API's own answer for their tree, behind the cookie.
        app.MapGet("/portal/corporate/spend.csv", (string? from, string? to, HttpContext http, Marten.IQuerySession query, TimeProvider clock) =>
                Api.Corporate.SpendReportEndpoint.AnswerAsync(http, query, clock, Actor.From(http.User).CorporateId ?? "", from, to, "csv"))
            .RequireAuthorization(new Microsoft.AspNetCore.Authorization.AuthorizeAttribute { Roles = Roles.CorporateAdmin })
            .RateLimited(RateLimitRule.Downloads).ExcludeFromDescription();
        // The broker's book page listens here for its changes (server-sent events), behind the cookie.
        app.MapGet("/portal/book/changes", Collections.BrokerEndpoints.RiskChanges)
            .RequireAuthorization(AccessPolicies.Broker).ExcludeFromDescription();
        return app;
    }
}

/// <summary>The portal's one stylesheet ships inside the assembly: no CDN (machines here are offline), no static-file set-up.</summary>
internal static class PortalStyles
{
    public static string Load()
    {
        using var stream = typeof(PortalStyles).Assembly.GetManifestResourceStream("Ledger.Portal.portal.css")
            ?? throw new InvalidOperationException("portal.css is not embedded in the build.");
        return new StreamReader(stream).ReadToEnd();
    }
}
