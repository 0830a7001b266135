using Npgsql;

namespace Ledger.IntegrationTests.Harness;

/// <summary>A database of one's own, created for a test and dropped after it (never the development database).</summary>
public sealed class ScratchDatabase(string purpose) : IAsyncLifetime
{
    public string Name { get; } = $"ledger_test_{purpose}_{Guid.NewGuid():N}";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(LedgerApp.AdminConnectionString) { Database = Name }.ConnectionString;

    public async Task InitializeAsync() => await Admin($"create database {Name}");

    /// <summary>
    /// Drops the database, retrying for up to 30 s what passes: 55006 "being accessed by other users" (a session FORCE
    /// could not end in time), 42501 "must be a member of the role whose process is being terminated" (PostgreSQL 15
    /// lets only a superuser end an autovacuum worker, which a large test database such as the fuzzer's often has; it
    /// finishes on its own, as two CI runs of the fuzzer showed) and a cluster that is briefly unreachable.
    /// </summary>
    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Admin($"drop database if exists {Name} with (force)");
                return;
            }
            catch (NpgsqlException e) when (attempt < 30 && (e is not PostgresException p || p.SqlState is PostgresErrorCodes.ObjectInUse or PostgresErrorCodes.InsufficientPrivilege || e.IsTransient))
            {
                Console.Error.WriteLine($"dropping {Name}: {e.Message}; retrying");
                await Task.Delay(1000);
            }
        }
    }

    private static async Task Admin(string sql)
    {
        await using var admin = new NpgsqlConnection(LedgerApp.AdminConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync();
    }
}
