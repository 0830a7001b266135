using System.Net;

namespace Ledger.Api.Portal.Shared;

/// <summary>
/// Small HTML answers for a browser that meets a 403 or 404 (the API's JSON ProblemDetails would be unreadable there).
/// A missing account and another customer's account read the same, as in the API.
/// </summary>
public static class StatusPages
{
    public const string NotFound = "That page or account does not exist, or it is not yours to see.";
    public const string Forbidden = "Your role cannot use this page.";
    public const string BadForm = "That form could not be accepted: it was open too long, or you signed in again since it was shown. Go back, reload the page and send it again.";

    /// <summary>
    /// Portal answers that carry no page of their own (an unknown address, a form whose antiforgery token no longer
    /// matches, a wrong method) get the same readable page instead of the API's JSON.
    /// </summary>
    public static IApplicationBuilder UsePortalStatusPages(this IApplicationBuilder app) =>
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/portal"), portal => portal.UseStatusCodePages(async context =>
        {
            var response = context.HttpContext.Response;
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(Html(response.StatusCode, response.StatusCode switch
            {
                400 => BadForm,
                403 => Forbidden,
                404 => NotFound,
                _ => "This page cannot answer that request. Go back to the start and try again.",
            }));
        }));

    public static string Html(int status, string message)
    {
        var heading = status switch
        {
            400 => "Form not accepted", 401 => "Sign-in needed", 403 => "Not allowed", 404 => "Not found", 429 => "Too many requests", _ => "Cannot do that",
        };
        return $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{heading} ({status}) · Ledger</title><link rel="stylesheet" href="/portal/portal.css" /></head>
        <body><a class="skip" href="#main">Skip to content</a><header class="top"><a class="brand" href="/portal">Ledger</a></header>
        <main id="main"><h1>{heading}</h1><p>{WebUtility.HtmlEncode(message)}</p><p><a href="/portal">Back to the start</a></p></main></body></html>
        """;
    }
}
