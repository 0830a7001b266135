using Ledger.Api.Access;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ledger.Api.Infrastructure.RateLimiting;

/// <summary>The kinds of request that have a limit of their own (see <see cref="RateLimits"/>).</summary>
public enum RateLimitRule { Reads, Writes, Downloads, SignIn, ProfileChanges, Uploads }

/// <summary>
/// Endpoint metadata: the stricter rule this endpoint falls under, for one method only where a page answers several
/// (a Razor page's GET shows a form, its POST changes something). Endpoints without it are reads or writes by method.
/// </summary>
public sealed record RateLimited(RateLimitRule Rule, string? OnlyMethod = null)
{
    public bool Covers(string method) => OnlyMethod is null || HttpMethods.Equals(OnlyMethod, method);
}

/// <summary>
/// One global limiter over every request (so no endpoint can be added without a limit), partitioned by kind of request
/// and caller. Health probes are exempt (<c>DisableRateLimiting</c>); a refusal is <see cref="TooManyRequests"/>.
/// </summary>
public static class RateLimiting
{
    public static TBuilder RateLimited<TBuilder>(this TBuilder endpoint, RateLimitRule rule) where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new RateLimited(rule));

    public static IServiceCollection AddLedgerRateLimiting(this IServiceCollection services)
    {
        services.AddOptions<RateLimits>().BindConfiguration(RateLimits.Section)
            .Validate(l => l.All().All(r => r.Limit.PermitLimit > 0 && r.Limit.Window > TimeSpan.Zero),
                $"Every limit under {RateLimits.Section} needs a PermitLimit above 0 and a Window above 00:00:00.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimits>>((options, limits) =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, Partition>(http => Partitioned(http, limits.Value));
            options.OnRejected = TooManyRequests.WriteAsync;
        });
        return services;
    }

    public static RateLimitRule Classify(HttpContext http)
    {
        var method = http.Request.Method;
        if (http.GetEndpoint()?.Metadata.GetOrderedMetadata<RateLimited>().FirstOrDefault(m => m.Covers(method)) is { } strict)
            return strict.Rule;
        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? RateLimitRule.Reads : RateLimitRule.Writes;
    }

    private readonly record struct Partition(RateLimitRule Rule, string Caller);

    private static RateLimitPartition<Partition> Partitioned(HttpContext http, RateLimits limits)
    {
        var rule = Classify(http);
        var caller = rule switch
        {
            // Whoever signs in is not known yet: the address is the only thing to count by.
            RateLimitRule.SignIn => ClientAddress(http),
            // Per account as well, so it bounds the mail one account can be made to send.
            RateLimitRule.ProfileChanges => $"{Caller(http)}|account:{http.GetRouteValue("accountId")}",
            _ => Caller(http),
        };
        var limit = limits.For(rule);
        return RateLimitPartition.GetFixedWindowLimiter(new Partition(rule, caller), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0, // refuse at once with Retry-After rather than hold connections open
        });
    }

    /// <summary>The signed-in user (the token's subject, the portal cookie's user id, a system's client id), else the client's address.</summary>
    private static string Caller(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true
        && (MachineClients.IsMachine(http.User) ? Actor.From(http.User).UserId : Actor.SubjectOf(http.User)) is { Length: > 0 } user
            ? $"user:{user}"
            : ClientAddress(http);

    /// <summary>After UseForwardedHeaders, so behind a trusted proxy this is the client's address, not the proxy's.</summary>
    private static string ClientAddress(HttpContext http) => $"ip:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
}
