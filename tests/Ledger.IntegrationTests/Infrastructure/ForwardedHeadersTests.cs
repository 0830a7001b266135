using System.Net;
using Ledger.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>Whose X-Forwarded-* headers are believed: loopback by default, only the configured proxies once any are.</summary>
public sealed class ForwardedHeadersTests
{
    private static async Task<(string Scheme, string? Client)> Arrive(string from, Dictionary<string, string?> settings,
        string forwardedFor = "198.51.100.7")
    {
        var services = new ServiceCollection().AddLedgerForwardedHeaders(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var options = services.BuildServiceProvider().GetRequiredService<IOptions<ForwardedHeadersOptions>>();
        var http = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(from) } };
        http.Request.Scheme = "http";
        http.Request.Headers["X-Forwarded-Proto"] = "https";
        http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        await new ForwardedHeadersMiddleware(_ => Task.CompletedTask, NullLoggerFactory.Instance, options).Invoke(http);
        return (http.Request.Scheme, http.Connection.RemoteIpAddress?.ToString());
    }

    [Fact]
    public async Task Given_no_configured_proxies_Then_only_loopback_is_believed()
    {
        (await Arrive("127.0.0.1", [])).Should().Be(("https", "198.51.100.7"));
        (await Arrive("203.0.113.5", [])).Should().Be(("http", "203.0.113.5"), "a client cannot claim another scheme or address");
    }

    [Fact]
    public async Task Given_a_configured_proxy_network_Then_it_replaces_loopback_and_blank_entries_are_ignored()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Ledger:ForwardedHeaders:KnownNetworks:0"] = "172.16.0.0/12",
            ["Ledger:ForwardedHeaders:KnownProxies:0"] = "",
        };
        (await Arrive("172.18.0.2", settings)).Should().Be(("https", "198.51.100.7"));
        (await Arrive("127.0.0.1", settings)).Should().Be(("http", "127.0.0.1"));
    }

    [Fact]
    public async Task Given_a_TLS_proxy_and_a_load_balancer_Then_the_client_is_the_first_hop_neither_of_them_believes_it_wrote()
    {
        // The client -> TLS proxy 172.18.0.3 -> HAProxy 172.18.0.2 -> a node; each proxy appends who connected to it.
        var settings = new Dictionary<string, string?> { ["Ledger:ForwardedHeaders:KnownNetworks:0"] = "172.18.0.0/24" };
        (await Arrive("172.18.0.2", settings, "198.51.100.7, 172.18.0.3")).Should().Be(("https", "198.51.100.7"));
        (await Arrive("172.18.0.2", settings, "10.9.9.9, 198.51.100.7, 172.18.0.3")).Should().Be(("https", "198.51.100.7"),
            "an address the client wrote into the header itself is not believed");
    }

    [Fact]
    public void Given_a_mistyped_proxy_Then_the_service_does_not_start()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Ledger:ForwardedHeaders:KnownProxies:0"] = "10.0.0.300" }).Build();
        var start = () => new ServiceCollection().AddLedgerForwardedHeaders(configuration);
        start.Should().Throw<InvalidOperationException>().WithMessage("*KnownProxies*10.0.0.300*");
    }
}
