using Ledger.Api.Infrastructure;
using Ledger.Api.Portal.Shared;
using Ledger.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Ledger.Api.Access;

/// <summary>
/// What only staff see outside Development: the API description (Swagger UI and its JSON) and the readiness details.
/// Staff are the <see cref="AccessPolicies.StaffRead"/> roles, signed in either way the ledger knows: a bearer token, or the
/// portal's cookie (so a staff member signed in to the portal can open /swagger in the same browser).
/// </summary>
public static class StaffOnly
{
    public static async Task<bool> IsStaffAsync(HttpContext http) =>
        (await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, AccessPolicies.StaffRead)).Succeeded;

    /// <summary>Swagger is served by middleware, not endpoints, so authorization policies never see it: this gate does.</summary>
    public static IApplicationBuilder UseStaffOnlyApiDescription(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/swagger") || http.Request.Path.StartsWithSegments("/openapi"), swagger => swagger.Use(async (http, next) =>
        {
            if (await IsStaffAsync(http))
            {
                await next(http);
                return;
            }
            var signedIn = http.User.Identity?.IsAuthenticated == true;
            var browser = http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
            // A browser that is not signed in goes to the portal's sign-in and comes back, like any portal page.
            if (!signedIn && browser && http.Request.Headers.Authorization.Count == 0)
            {
                await http.ChallengeAsync();
                return;
            }
            var status = signedIn ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized;
            const string message = "The API description is for staff (csr, manager, auditor, admin): send a staff bearer token, " +
                                   "or sign in to the portal as staff and open /swagger in the same browser.";
            http.Response.StatusCode = status;
            if (!signedIn)
                http.Response.Headers.WWWAuthenticate = "Bearer";
            if (browser)
            {
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(StatusPages.Html(status, message));
                return;
            }
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = Problems.Describe(new Rejection(signedIn ? "staff-only" : "not-signed-in", message), status),
            });
        }));
}
