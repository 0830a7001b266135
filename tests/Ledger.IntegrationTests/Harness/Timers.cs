using Ledger.Api.Accounts.Writing;
using Ledger.Api.Collections;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// The collections timers Wolverine keeps in PostgreSQL for one account. Their times are real dates ahead of the test's
/// clock, so Wolverine does not fire them during the test: <see cref="FireDueReviews"/> does what it would do when their
/// time comes on the test's (moved) clock — takes each due one off the table and handles its message.
/// </summary>
public static class Timers
{
    public static async Task<IReadOnlyList<DateTimeOffset>> ScheduledReviews(this LedgerApp app, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select execution_time from ledger.wolverine_incoming_envelopes where status = 'Scheduled' and message_type like '%ReviewAccountCollections%' " +
            "and position(convert_to(@id, 'UTF8') in body) > 0 order by execution_time", connection);
        command.Parameters.AddWithValue("id", accountId.ToString());
        var times = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            times.Add(new DateTimeOffset(reader.GetDateTime(0), TimeSpan.Zero));
        return times;
    }

    /// <summary>Handles every review of the account due by the test's clock, as Wolverine would; how many it fired.</summary>
    public static async Task<int> FireDueReviews(this LedgerApp app, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var take = new NpgsqlCommand(
            "delete from ledger.wolverine_incoming_envelopes where status = 'Scheduled' and message_type like '%ReviewAccountCollections%' " +
            "and position(convert_to(@id, 'UTF8') in body) > 0 and execution_time <= @now returning id", connection);
        take.Parameters.AddWithValue("id", accountId.ToString());
        take.Parameters.AddWithValue("now", app.Clock.GetUtcNow().UtcDateTime);
        var fired = 0;
        await using (var reader = await take.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                fired++;
        for (var i = 0; i < fired; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CommandOutcome>(new ReviewAccountCollections(accountId, true));
        }
        return fired;
    }
}
