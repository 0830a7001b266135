using Marten;
using Npgsql;
using Weasel.Postgresql;
using Wolverine;

namespace Ledger.Api.Infrastructure;

/// <summary>A run that happens every night: the name its message is stored under, the message for a day, and when on that day it fires.</summary>
public sealed record NightlyRun(string MessageName, Func<DateOnly, object> For, Func<DateOnly, DateTimeOffset> TimeOf);

/// <summary>
/// At start-up, makes sure each nightly run (bills, then collections) has tomorrow's message scheduled once; each run schedules
/// the next night's itself from then on. Several nodes start at once: the look and the scheduling happen under a PostgreSQL
/// advisory lock, so the second node finds the first's.
/// </summary>
public sealed class NightlyRunScheduler(IServiceScopeFactory scopes, IDocumentStore store, TimeProvider clock, ILogger<NightlyRunScheduler> log)
    : IHostedService
{
    public static readonly IReadOnlyList<NightlyRun> Runs =
    [
        new(nameof(Statements.RunDueStatements), day => new Statements.RunDueStatements(day), Statements.RunDueStatementsHandler.TimeOf),
        new(nameof(Collections.RunCollections), day => new Collections.RunCollections(day, Reschedule: true), Collections.CollectionsSchedule.TimeOf),
    ];

    public async Task StartAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var connection = (NpgsqlConnection)session.Connection!;
        await connection.GetGlobalLock(SchedulingLock, ct);
        try
        {
            var tomorrow = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
            foreach (var run in Runs)
            {
                await using var command = new NpgsqlCommand(
                    $"select count(*) from {MartenSetup.Schema}.wolverine_incoming_envelopes where message_type like @name and status = 'Scheduled'",
                    connection);
                command.Parameters.AddWithValue("name", $"%{run.MessageName}%");
                if ((long)(await command.ExecuteScalarAsync(ct))! > 0)
                    continue;
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().ScheduleAsync(run.For(tomorrow), run.TimeOf(tomorrow));
                log.LogInformation("Scheduled {Run} for {Day}", run.MessageName, tomorrow);
            }
        }
        finally
        {
            await connection.ReleaseGlobalLock(SchedulingLock, CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    // Any fixed number no other lock of the ledger's database uses (Marten's and Wolverine's are derived from their own names).
    private const int SchedulingLock = 0x1ED6E557;
}
