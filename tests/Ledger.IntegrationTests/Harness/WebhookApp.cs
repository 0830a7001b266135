using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The app on a database of its own, allowed to send webhooks to receivers on this machine, with retry waits of a
/// second or two instead of minutes and hours, so an outage reaches the dead letters within seconds.
/// </summary>
public sealed class WebhookApp : LedgerApp
{
    public const string RetryDelays = "00:00:01, 00:00:02, 00:00:03, 00:00:04";

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ledger",
            new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 25 }.ConnectionString);
        builder.UseSetting("Webhooks:AllowLoopback", "true");
        builder.UseSetting("Webhooks:RetryDelays", RetryDelays);
        builder.UseSetting("Webhooks:Timeout", "00:00:02");
        // Scheduled retries are picked up by Wolverine's durability agent: poll often so a 500 ms wait is about that.
        builder.ConfigureServices(services => services.ConfigureWolverine(o => o.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(250)));
    }
}

[CollectionDefinition(Name)]
public sealed class WebhookCollection : ICollectionFixture<WebhookApp>
{
    public const string Name = "webhooks";
}
