using System.Globalization;
using System.Threading.RateLimiting;
using Ledger.Api.Portal.Shared;
using Ledger.Domain;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Infrastructure.RateLimiting;

/// <summary>
/// A refused request: 429 with <c>Retry-After</c>, as a ProblemDetails (rule <c>rate-limited</c>) for the API and a
/// readable page for the portal. The request never reached its endpoint, so nothing was appended.
/// </summary>
public static class TooManyRequests
{
    public const string Rule = "rate-limited";

    public static async ValueTask WriteAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var rule = RateLimiting.Classify(http);
        var limit = http.RequestServices.GetRequiredService<IOptions<RateLimits>>().Value.For(rule);
        // A fixed window's lease says how long until a retry is sure to be let in (at most one window).
        var wait = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limit.Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TooManyRequests)).LogWarning(
            "Rate limit {Rule} ({Permits} per {Window}) reached on {Method} {Path}", rule, limit.PermitLimit, limit.Window, http.Request.Method, http.Request.Path);

        var message = $"Too many {Describe(rule)}: at most {limit.PermitLimit} per {Per(limit.Window)}. " +
                      $"Try again in {Duration(TimeSpan.FromSeconds(seconds))}.";
        if (http.Request.Path.StartsWithSegments("/portal"))
        {
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync(StatusPages.Html(StatusCodes.Status429TooManyRequests, message), ct);
            return;
        }
        var problem = Problems.Describe(new Rejection(Rule, message), StatusCodes.Status429TooManyRequests);
        problem.Extensions["retryAfterSeconds"] = seconds;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    private static string Describe(RateLimitRule rule) => rule switch
    {
        RateLimitRule.Writes => "changes",
        RateLimitRule.Downloads => "document downloads",
        RateLimitRule.SignIn => "sign-in attempts from your address",
        RateLimitRule.ProfileChanges => "profile or contact changes on this account",
        _ => "requests",
    };

    private static string Duration(TimeSpan span) => span switch
    {
        { TotalHours: >= 1 } when span.TotalHours % 1 == 0 => Plural((int)span.TotalHours, "hour"),
        { TotalMinutes: >= 1 } when span.TotalMinutes % 1 == 0 => Plural((int)span.TotalMinutes, "minute"),
        _ => Plural((int)Math.Ceiling(span.TotalSeconds), "second"),
    };

    /// <summary>"per minute", "per 10 minutes".</summary>
    private static string Per(TimeSpan window) => Duration(window) is var d && d.StartsWith("1 ", StringComparison.Ordinal) ? d[2..] : d;

    private static string Plural(int n, string unit) => n == 1 ? $"1 {unit}" : $"{n} {unit}s";
}
