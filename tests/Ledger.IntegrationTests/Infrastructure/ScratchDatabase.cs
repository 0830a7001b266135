using Npgsql;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>A database of one's own, created for a test and dropped after it (never the development database).</summary>
public sealed class ScratchDatabase(string purpose) : IAsyncLifetime
{
    public string Name { get; } = $"ledger_test_{purpose}_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(LedgerApp.AdminConnectionString) { Database = Name }.ConnectionString;

    public async Task InitializeAsync() => await Admin($"create database {Name}");

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Admin($"drop database if exists {Name} with (force)");
    }

    private static async Task Admin(string sql)
    {
        await using var admin = new NpgsqlConnection(LedgerApp.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
