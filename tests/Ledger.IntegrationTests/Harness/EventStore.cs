using Npgsql;

namespace Ledger.IntegrationTests.Harness;

/// <summary>Reads the event store's own table, so assertions do not trust the code under test.</summary>
public static class EventStore
{
    public static Task<IReadOnlyList<(long Version, string Type)>> Events(this LedgerApp app, Guid accountId) => Events(app.ConnectionString, accountId);

    /// <summary>The events of one stream in a database the test holds (a real process's, say).</summary>
    public static async Task<IReadOnlyList<(long Version, string Type)>> Events(string connectionString, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
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

    /// <summary>A count from a database the test holds (a real process's, say); 0 when the query finds no row or a null.</summary>
    public static async Task<long> Count(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return await command.ExecuteScalarAsync() is long count ? count : 0;
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

public static class StoreQueries
{
    public static async Task<string> LastEventData(this LedgerApp app, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select data::text from ledger.mt_events where stream_id = @id order by version desc limit 1", connection);
        command.Parameters.AddWithValue("id", accountId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Messages Wolverine holds in PostgreSQL for later delivery, by message type name.</summary>
    public static Task<long> ScheduledMessages(this LedgerApp app, string messageTypeContains) => EventStore.Count(app.ConnectionString,
        "select count(*) from ledger.wolverine_incoming_envelopes where status = 'Scheduled' and message_type like @type", ("type", $"%{messageTypeContains}%"));
}

public static class PolicyQueries
{
    public static async Task<long> PolicyChanges(this LedgerApp app)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from ledger.mt_events where type = 'policy_changed'", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
