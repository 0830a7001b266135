using Ledger.Api.Infrastructure;
using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>What a newcomer sees when the database is missing or the password is wrong: one line, host and cause.</summary>
public sealed class StartupProbeTests
{
    [Fact]
    public async Task Wrong_password_is_one_line_naming_server_database_and_cause()
    {
        var wrong = new NpgsqlConnectionStringBuilder(LedgerApp.AdminConnectionString) { Password = "definitely-wrong" };
        var message = await Database.ProbeAsync(wrong.ConnectionString);
        message.Should().StartWith($"Cannot reach PostgreSQL at {wrong.Host}:{wrong.Port}, database '{wrong.Database}'")
            .And.Contain("password authentication failed").And.NotContain("\n");
    }

    [Fact]
    public async Task Nothing_listening_is_one_line_naming_the_port()
    {
        var message = await Database.ProbeAsync("Host=127.0.0.1;Port=1;Database=ledger;Username=ledger;Password=x;Timeout=2");
        message.Should().StartWith("Cannot reach PostgreSQL at 127.0.0.1:1, database 'ledger'").And.NotContain("\n");
    }

    [Fact]
    public async Task A_reachable_database_passes_the_probe()
    {
        (await Database.ProbeAsync(LedgerApp.AdminConnectionString)).Should().BeNull();
    }
}
