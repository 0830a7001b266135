using Ledger.IntegrationTests.Harness;
using Microsoft.AspNetCore.Hosting;

namespace Ledger.IntegrationTests.Infrastructure.RateLimiting;

/// <summary>The app with limits low enough to reach in a test (the rest of the suite runs with generous ones).</summary>
public sealed class RateLimitedApp : LedgerApp
{
    public const int Reads = 100;
    public const int Writes = 20;
    public const int Downloads = 3;
    public const int SignIns = 3;
    public const int ProfileChanges = 2;

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ledger", NotificationApp.SmallPool(ConnectionString));
        builder.UseSetting("Ledger:RateLimits:Reads:PermitLimit", $"{Reads}");
        builder.UseSetting("Ledger:RateLimits:Writes:PermitLimit", $"{Writes}");
        builder.UseSetting("Ledger:RateLimits:Downloads:PermitLimit", $"{Downloads}");
        builder.UseSetting("Ledger:RateLimits:SignIn:PermitLimit", $"{SignIns}");
        builder.UseSetting("Ledger:RateLimits:ProfileChanges:PermitLimit", $"{ProfileChanges}");
    }
}

[CollectionDefinition(Name)]
public sealed class RateLimitedCollection : ICollectionFixture<RateLimitedApp>
{
    public const string Name = "rate-limited";
}
