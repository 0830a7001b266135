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

    public static string Html(int status, string message)
    {
        var heading = status == 403 ? "Not allowed" : "Not found";
        return $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{heading} ({status}) · Ledger</title><link rel="stylesheet" href="/portal/portal.css" /></head>
        <body><a class="skip" href="#main">Skip to content</a><header class="top"><a class="brand" href="/portal">Ledger</a></header>
        <main id="main"><h1>{heading}</h1><p>{WebUtility.HtmlEncode(message)}</p><p><a href="/portal">Back to the start</a></p></main></body></html>
        """;
    }
}
