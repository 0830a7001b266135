using System.Security.Cryptography;
using System.Text;
using Ledger.Api.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Access;

/// <summary>
/// Who may read /metrics outside Development: an admin (a bearer token with the admin role), or a scraper holding the
/// configured scrape token (<see cref="TelemetryOptions.ScrapeSettings.ScrapeToken"/>) — Prometheus can hold a file, not an
/// admin's expiring token.
/// </summary>
public sealed class MetricsScrape : IAuthorizationRequirement;

public sealed class MetricsScrapeHandler(IOptionsMonitor<TelemetryOptions> options) : AuthorizationHandler<MetricsScrape>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MetricsScrape requirement)
    {
        if (context.User.IsInRole(Roles.Admin) || context.Resource is HttpContext http && HoldsScrapeToken(http))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    private bool HoldsScrapeToken(HttpContext http)
    {
        if (options.CurrentValue.Metrics.ScrapeToken is not { Length: > 0 } token)
            return false;
        var header = http.Request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        return header.StartsWith(bearer, StringComparison.OrdinalIgnoreCase)
               && CryptographicOperations.FixedTimeEquals(
                   SHA256.HashData(Encoding.UTF8.GetBytes(header[bearer.Length..].Trim())), SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }
}
