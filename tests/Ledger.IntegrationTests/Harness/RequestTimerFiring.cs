using Ledger.Api.Accounts.Writing;
using Ledger.Api.ServiceRequests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// A service request's timers as Wolverine keeps them in PostgreSQL (durable scheduled envelopes). Tests run on a clock years
/// ahead, so Wolverine never fires them by itself: <see cref="FireDueRequestTimers"/> does what it would when their time comes
/// on the test's clock — takes each due one off the table and handles its message.
/// </summary>
public static class RequestTimerFiring
{
    private const string Kinds = "(message_type like '%RequestTimerFired%' or message_type like '%DraftTimerFired%')";

    public static async Task<IReadOnlyList<(string Kind, DateTimeOffset At)>> ScheduledRequestTimers(this LedgerApp app, Guid requestId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select message_type, execution_time from ledger.wolverine_incoming_envelopes where status = 'Scheduled' and {Kinds} " +
            "and position(convert_to(@id, 'UTF8') in body) > 0 order by execution_time", connection);
        command.Parameters.AddWithValue("id", requestId.ToString());
        var times = new List<(string, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            times.Add((reader.GetString(0).Contains("Draft") ? "draft" : "request", new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero)));
        return times;
    }

    /// <summary>Handles every timer of the request due by the test's clock, as Wolverine would; how many it fired.</summary>
    public static async Task<int> FireDueRequestTimers(this LedgerApp app, Guid requestId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var take = new NpgsqlCommand(
            $"delete from ledger.wolverine_incoming_envelopes where status = 'Scheduled' and {Kinds} " +
            "and position(convert_to(@id, 'UTF8') in body) > 0 and execution_time <= @now returning message_type, execution_time", connection);
        take.Parameters.AddWithValue("id", requestId.ToString());
        take.Parameters.AddWithValue("now", app.Clock.GetUtcNow().UtcDateTime);
        var fired = new List<(string Kind, DateTime At)>();
        await using (var reader = await take.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                fired.Add((reader.GetString(0), reader.GetDateTime(1)));
        // In the order they were due, as Wolverine would have fired them.
        foreach (var (kind, _) in fired.OrderBy(f => f.At))
            await app.FireRequestTimer(requestId, draft: kind.Contains("Draft"));
        return fired.Count;
    }

    /// <summary>Handles one timer message of the request now, due or not (a redelivery, a second node, a late fire).</summary>
    public static async Task FireRequestTimer(this LedgerApp app, Guid requestId, bool draft = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await bus.InvokeAsync<CommandOutcome>(draft ? new DraftTimerFired(requestId) : new RequestTimerFired(requestId));
    }
}
