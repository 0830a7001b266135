using Ledger.Api.Portal.SigningIn;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Ledger.IntegrationTests.Portal;

/// <summary>
/// Whether signing out also ends the provider's session: only when the provider publishes an end-session endpoint.
/// A provider that is down, or publishes none, leaves the portal's own sign-out working (never an error page).
/// </summary>
public sealed class ProviderSignOutTests
{
    private static HttpContext ContextFor(string metadataAddress)
    {
        var services = new ServiceCollection()
            .AddSingleton<Microsoft.Extensions.Logging.ILoggerFactory>(NullLoggerFactory.Instance)
            .Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.ConfigurationManager =
                new ConfigurationManager<OpenIdConnectConfiguration>(metadataAddress, new OpenIdConnectConfigurationRetriever(),
                    new HttpDocumentRetriever { RequireHttps = false }))
            .BuildServiceProvider();
        return new DefaultHttpContext { RequestServices = services };
    }

    [Fact]
    public async Task A_provider_that_publishes_an_end_session_endpoint_is_signed_out_of_too()
    {
        await using var provider = await TestIdentityProvider.StartAsync();
        (await PortalAuthentication.ProviderCanSignOutAsync(ContextFor($"{provider.Authority}.well-known/openid-configuration"))).Should().BeTrue();
    }

    [Fact]
    public async Task A_provider_without_an_end_session_endpoint_is_left_alone()
    {
        await using var provider = await TestIdentityProvider.StartAsync(endSession: false);
        (await PortalAuthentication.ProviderCanSignOutAsync(ContextFor($"{provider.Authority}.well-known/openid-configuration"))).Should().BeFalse();
    }

    [Fact]
    public async Task An_unreachable_provider_leaves_the_portal_sign_out_alone_without_an_error()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now: connection refused

        (await PortalAuthentication.ProviderCanSignOutAsync(ContextFor($"http://127.0.0.1:{port}/.well-known/openid-configuration"))).Should().BeFalse();
    }
}
