using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Portal;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.Deployment;

/// <summary>
/// The app as deployed: the Production environment with nothing but what an operator configures (an identity
/// provider, the bearer tokens' issuer, a database), no demo sign-in, on a real loopback port so a request arrives
/// from 127.0.0.1 as it does from a TLS proxy on the same machine.
/// </summary>
public sealed class ProductionApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    /// <summary>The public name the proxy serves the ledger under (HSTS is never sent for localhost).</summary>
    public const string PublicHost = "ledger.example";

    /// <summary>What the operator gave Prometheus to scrape /metrics with.</summary>
    public const string ScrapeToken = "scrape-token-for-tests-0123456789";

    private readonly ScratchDatabase _database = new("production");

    static ProductionApp() => JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;

    public TestIdentityProvider Identity { get; private set; } = null!;
    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        Identity = await TestIdentityProvider.StartAsync();
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1"));
        await Identity.RegisterClientAsync(new Uri($"https://{PublicHost}/"), new Uri($"http://{PublicHost}/"));
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Identity.DisposeAsync();
        await _database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:Ledger", NotificationApp.SmallPool(_database.ConnectionString));
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", LedgerApp.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", LedgerApp.Audience);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", LedgerApp.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", LedgerApp.SigningKeyBase64);
        builder.UseSetting("Portal:OpenIdConnect:Authority", Identity.Authority.ToString());
        builder.UseSetting("Portal:OpenIdConnect:ClientId", TestIdentityProvider.ClientId);
        builder.UseSetting("Portal:OpenIdConnect:ClientSecret", TestIdentityProvider.ClientSecret);
        builder.UseSetting("Portal:OpenIdConnect:RequireHttpsMetadata", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Telemetry:Metrics:ScrapeToken", ScrapeToken);
        builder.ConfigureServices(services => services.DisableAllExternalWolverineTransports());
    }

    /// <summary>A client calling the service directly (no proxy), with a bearer token when a user is given.</summary>
    public HttpClient Direct(TestUser? user = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (user is not null)
            client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.Token(user));
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionApp>
{
    public const string Name = "production";
}
