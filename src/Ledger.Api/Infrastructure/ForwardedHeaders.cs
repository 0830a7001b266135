using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Behind a TLS-terminating proxy the service sees plain HTTP from the proxy: X-Forwarded-Proto and X-Forwarded-For
/// give back the browser's scheme (so the portal cookie is Secure and HSTS is sent) and address (so rate limits count
/// clients, not the proxy). Only proxies listed under <c>Ledger:ForwardedHeaders</c> are believed; with none listed,
/// only loopback (ASP.NET Core's default), so a client cannot claim another address or scheme. Behind several proxies (a TLS
/// proxy, then the load balancer of several nodes) list them all.
/// </summary>
public static class ForwardedHeaders
{
    public const string Section = "Ledger:ForwardedHeaders";

    public static IServiceCollection AddLedgerForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        // Parsed here, not on the first request, so a mistyped address stops the start instead of failing requests.
        var proxies = Entries(configuration, "KnownProxies").Select(p => IPAddress.TryParse(p, out var ip) ? ip
            : throw new InvalidOperationException($"{Section}:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Entries(configuration, "KnownNetworks").Select(n => System.Net.IPNetwork.TryParse(n, out var network) ? network
            : throw new InvalidOperationException($"{Section}:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8).")).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
            // Several hops (a TLS proxy, then the load balancer in front of several nodes): walk X-Forwarded-For back from
            // the nearest hop for as long as each hop is a believed proxy, and stop at the first that is not; what a client
            // wrote into the header itself is never reached.
            o.ForwardLimit = null;
            if (proxies.Count + networks.Count == 0)
                return;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
        return services;
    }

    // Blank entries are allowed, so a compose file can pass an optional variable through unset.
    private static IEnumerable<string> Entries(IConfiguration configuration, string key) =>
        configuration.GetSection($"{Section}:{key}").GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0);
}
