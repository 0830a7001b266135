using Npgsql;

namespace Ledger.Api.Infrastructure;

public static class Database
{
    public static string LedgerConnectionString(this IConfiguration configuration)
    {
        var value = configuration.GetConnectionString("Ledger");
        return string.IsNullOrWhiteSpace(value)
            ? throw new InvalidOperationException(
                "ConnectionStrings:Ledger is not set (use ./ledger run, or set ConnectionStrings__Ledger).")
            : value;
    }

    /// <summary>
    /// Fails fast with one line naming the server and the cause, instead of letting the first schema
    /// migration die with a stack trace. A timeout or a server still starting is tried twice more (a busy
    /// machine or a restart can take a few seconds); a refused connection or a wrong password is said at once.
    /// </summary>
    public static async Task<string?> ProbeAsync(string connectionString, CancellationToken ct = default)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var target = $"PostgreSQL at {builder.Host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}'";
        builder.Timeout = Math.Min(builder.Timeout, 5);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(ct);
                return null;
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                var passing = e.GetBaseException() is TimeoutException || e is PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow };
                if (!passing || attempt == 3)
                    return $"Cannot reach {target}: {e.GetBaseException().Message}";
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}
