using Ledger.Domain;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The application on two databases: its own (the main one, <see cref="LedgerApp.ConnectionString"/>) holding buckets 0-7
/// and a second holding buckets 8-15, both created for the run and dropped after it.
/// </summary>
public class TwoDatabaseApp : LedgerApp
{
    private readonly ScratchDatabase _second = new("second");

    public string SecondName => _second.Name;

    public string SecondConnectionString => new NpgsqlConnectionStringBuilder(_second.ConnectionString) { MaxPoolSize = 40 }.ConnectionString;

    /// <summary>The connection string of the database that holds <paramref name="accountId"/>'s bucket.</summary>
    public string ConnectionStringOf(Guid accountId) => InSecond(accountId) ? SecondConnectionString : ConnectionString;

    public static bool InSecond(Guid accountId) => Buckets.Of(accountId) >= 8;

    /// <summary>A customer id whose accounts go to the second database (or to the main one), distinct per call.</summary>
    public static string CustomerIn(bool second, string prefix)
    {
        for (var n = 0; ; n++)
        {
            var id = $"{prefix}-{n}";
            if (Buckets.OfCustomer(id) >= 8 == second)
                return id;
        }
    }

    protected override Task BeforeStartAsync() => _second.InitializeAsync();

    /// <summary>Two databases and the event feed on the test broker, on an exchange of its own.</summary>
    public sealed class WithFeed : TwoDatabaseApp
    {
        public string Exchange { get; } = $"ledger.events.test-{Guid.NewGuid():N}";

        protected override bool UsesExternalTransports => true;

        protected override void ConfigureMore(IWebHostBuilder builder)
        {
            builder.UseSetting("Messaging:RabbitMq:Uri", FeedConsumer.BrokerUri);
            builder.UseSetting("Messaging:RabbitMq:Exchange", Exchange);
            builder.UseSetting("Messaging:RabbitMq:Intake:ChargesQueue", $"ledger.commands.charges.test-{Guid.NewGuid():N}");
            builder.UseSetting("Messaging:RabbitMq:Intake:PaymentsQueue", $"ledger.commands.payments.test-{Guid.NewGuid():N}");
        }
    }

    protected override async Task AfterStopAsync() => await _second.DisposeAsync();

    /// <summary>The database map: the main database holds buckets 0-7, the second 8-15.</summary>
    public IReadOnlyDictionary<string, string> DatabaseSettings => new Dictionary<string, string>
    {
        ["Ledger:Databases:0:Name"] = "main",
        ["Ledger:Databases:0:Buckets"] = "0-7",
        ["Ledger:Databases:1:Name"] = "second",
        ["Ledger:Databases:1:ConnectionString"] = SecondConnectionString,
        ["Ledger:Databases:1:Buckets"] = "8-15",
    };

    /// <summary>What a one-off command of the API (a real process) needs to see both databases and this app's anchors.</summary>
    public IReadOnlyDictionary<string, string> CommandEnvironment => DatabaseSettings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value)
        .Concat(Anchors.Environment).ToDictionary();

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ConfigureMore(builder);
        foreach (var (key, value) in DatabaseSettings)
            builder.UseSetting(key, value);
        builder.UseSetting("Webhooks:AllowLoopback", "true");
    }

    /// <summary>For a fixture on two databases that needs settings of its own (a broker).</summary>
    protected virtual void ConfigureMore(IWebHostBuilder builder)
    {
    }

    /// <summary>Stops the second database taking connections and ends the ones it has: to the ledger, it is down.</summary>
    public async Task TakeSecondDownAsync()
    {
        await Admin($"alter database {SecondName} allow_connections false");
        await Admin($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{SecondName}' and pid <> pg_backend_pid()");
    }

    public async Task BringSecondBackAsync()
    {
        await Admin($"alter database {SecondName} allow_connections true");
        // The test's own pooled connections to it were ended too (the application's pools find theirs broken on use).
        await using var pooled = new NpgsqlConnection(SecondConnectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    private static async Task Admin(string sql)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
