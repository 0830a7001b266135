using Npgsql;

namespace Ledger.IntegrationTests.Infrastructure;

/// <summary>Reads the event store's own table, so assertions do not trust the code under test.</summary>
public static class EventStore
{
    public static async Task<IReadOnlyList<(long Version, string Type)>> Events(this LedgerApp app, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select version, type from ledger.mt_events where stream_id = @id order by version", connection);
        command.Parameters.AddWithValue("id", accountId);
        var events = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1)));
        return events;
    }
}

public static class EventMetadata
{
    /// <summary>The headers and user name Marten stored with the newest event of the stream, as text.</summary>
    public static async Task<string> LastEventMetadata(this LedgerApp app, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce(headers::text, '') || ' user=' || coalesce(user_name, '') from ledger.mt_events where stream_id = @id order by version desc limit 1",
            connection);
        command.Parameters.AddWithValue("id", accountId);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
