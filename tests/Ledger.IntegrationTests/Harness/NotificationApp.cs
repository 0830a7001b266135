using Microsoft.AspNetCore.Hosting;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The app on a database of its own, sending notices to an SMTP sink of its own, with retries measured in
/// milliseconds so an outage reaches the dead letters within a second.
/// </summary>
public sealed class NotificationApp : LedgerApp, IAsyncLifetime
{
    public SmtpSink Smtp { get; } = new();

    public new async Task InitializeAsync()
    {
        await Smtp.StartAsync();
        await base.InitializeAsync();
    }

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }

    /// <summary>The PostgreSQL cluster is shared by every test app (100 connections): this one needs few.</summary>
    public static string SmallPool(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 10 }.ConnectionString;

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:Ledger", SmallPool(ConnectionString));
        builder.UseSetting("Notifications:Smtp:Port", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Notifications:Smtp:TimeoutSeconds", "5");
        builder.UseSetting("Notifications:RetryCooldowns", "00:00:00.100, 00:00:00.200");
        builder.UseSetting("Notifications:ScheduledRetries", "");
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationCollection : ICollectionFixture<NotificationApp>
{
    public const string Name = "notifications";
}
