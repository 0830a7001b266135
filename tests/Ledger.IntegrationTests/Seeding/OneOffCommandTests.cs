using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.Seeding;

/// <summary>
/// `./ledger seed-history` (and `seed`, `verify-ledger`) run next to a running service, against its database, with its
/// address in the environment (the launch profile gives both the same URL). They must neither fail on the service's
/// port nor run a second async daemon: in Solo mode two daemons fight over each projection's progress
/// (ProgressionProgressOutOfOrderException), which stalled the audit projection for many minutes after a bulk load.
/// </summary>
public sealed class OneOffCommandTests : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("oneoff");
    private const string AuditShard = "Ledger.Projections.Auditing.AuditLogProjection:All";

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_bulk_load_beside_the_running_service_runs_on_no_port_of_its_own_and_leaves_the_projections_to_the_service()
    {
        await using (var api = new ApiProcess(_database.ConnectionString))
        {
            await api.StartAsync(TimeSpan.FromSeconds(90));
            var beside = new Dictionary<string, string> { ["ASPNETCORE_URLS"] = api.BaseAddress.ToString() };
            var (exitCode, output) = await ApiProcess.RunCommandAsync(_database.ConnectionString, beside, "seed-history", "--accounts", "20", "--events", "200");
            exitCode.Should().Be(0, output);
            output.Should().NotContain("address already in use").And.NotContain("ProgressionProgressOutOfOrder");
            await CaughtUpAsync(TimeSpan.FromSeconds(60));
            api.Output.Should().NotContain("ProgressionProgressOutOfOrder", "one daemon projects the database");
        }

        // With the service down, the command appends and projects nothing asynchronously; the service catches up on start.
        var (again, log) = await ApiProcess.RunCommandAsync(_database.ConnectionString, "seed-history", "--accounts", "5", "--events", "100");
        again.Should().Be(0, log);
        var (projected, written) = await ProgressAsync();
        projected.Should().BeLessThan(written, "the command ran no async daemon");
        await using (var api = new ApiProcess(_database.ConnectionString))
        {
            await api.StartAsync(TimeSpan.FromSeconds(90));
            await CaughtUpAsync(TimeSpan.FromSeconds(60));
        }
    }

    private async Task CaughtUpAsync(TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        var (projected, written) = await ProgressAsync();
        while (projected < written && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            (projected, written) = await ProgressAsync();
        }
        projected.Should().Be(written, "the service's daemon projects every event the command wrote");
    }

    private async Task<(long Projected, long Written)> ProgressAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select coalesce((select last_seq_id from ledger.mt_event_progression where name = @shard), 0), (select coalesce(max(seq_id), 0) from ledger.mt_events)",
            connection);
        command.Parameters.AddWithValue("shard", AuditShard);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
