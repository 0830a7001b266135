using Ledger.IntegrationTests.Portal;
using Microsoft.AspNetCore.Hosting;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The app trusting an OpenIddict issuer as production trusts the organisation's: JwtBearer finds the issuer's keys
/// through its discovery document (Authority), and accepts access tokens for the API's audience. The suite's own test
/// tokens stay valid beside them, so staff can look at what the systems did.
/// </summary>
public sealed class MachineClientApp : LedgerApp
{
    public TestIdentityProvider Provider { get; private set; } = null!;

    protected override async Task BeforeStartAsync() => Provider = await TestIdentityProvider.StartAsync();

    protected override async Task AfterStopAsync() => await Provider.DisposeAsync();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("Authentication:Schemes:Bearer:Authority", Provider.Authority.ToString());
        builder.UseSetting("Authentication:Schemes:Bearer:RequireHttpsMetadata", "false");
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:1", TestIdentityProvider.ApiAudience);
    }

    /// <summary>A client for a system registered with these scopes, calling with a token it asked the issuer for.</summary>
    public async Task<HttpClient> SystemAsync(string clientId, params string[] scopes)
    {
        var secret = $"secret-of-{clientId}";
        await Provider.RegisterMachineClientAsync(clientId, secret, scopes);
        var answer = await Provider.RequestClientTokenAsync(clientId, secret, scopes);
        var body = await answer.Content.ReadAsStringAsync();
        answer.EnsureSuccessStatusCode();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer",
            System.Text.Json.Nodes.JsonNode.Parse(body)!["access_token"]!.GetValue<string>());
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class MachineClientCollection : ICollectionFixture<MachineClientApp>
{
    public const string Name = "machine-clients";
}
