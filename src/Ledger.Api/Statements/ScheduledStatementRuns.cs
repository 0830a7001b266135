using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Marten;
using Npgsql;
using Weasel.Postgresql;
using Wolverine;

namespace Ledger.Api.Statements;

/// <summary>The nightly run for one calendar day (UTC): bills every open account whose billing day it is, up to that midnight.</summary>
public sealed record RunDueStatements(DateOnly Day);

public static class RunDueStatementsHandler
{
    public static readonly RequestContext System = new(new Actor("system:statement-run", "system", Channel.Desk, null), "statement-run", null, null, null);

    /// <summary>
    /// Each account is its own message (and transaction), idempotent per period: a crash mid-run loses nothing and
    /// the rerun skips what was issued. The next day's run is scheduled in the same breath, durably.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(RunDueStatements run, IDocumentStore store, CancellationToken ct)
    {
        var cutoff = new DateTimeOffset(run.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var due = await DueAsync(store, run.Day.Day, ct);
        var messages = new OutgoingMessages();
        foreach (var accountId in due)
            messages.Add(new IssueStatement(accountId, cutoff, System with { CorrelationId = $"statement-run-{run.Day:yyyy-MM-dd}" }));
        var next = run.Day.AddDays(1);
        messages.Add(new RunDueStatements(next).ScheduledAt(new DateTimeOffset(next.ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero)));
        return messages;
    }

    /// <summary>The open accounts billed on <paramref name="billingDay"/>, in every database (each bill is then written in its account's).</summary>
    public static async Task<List<Guid>> DueAsync(IDocumentStore store, int billingDay, CancellationToken ct)
    {
        var due = new List<Guid>();
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                due.AddRange(await query.Query<Account>().Where(a => a.BillingDay == billingDay && a.Status != AccountStatus.Closed)
                    .Select(a => a.Id).ToListAsync(ct));
        return due;
    }
}

/// <summary>
/// At start-up, makes sure tomorrow's run is scheduled once (it reschedules itself from then on). Several nodes start at
/// once: the look and the scheduling happen under a PostgreSQL advisory lock, so the second node finds the first's.
/// </summary>
public sealed class StatementRunScheduler(IServiceScopeFactory scopes, IDocumentStore store, TimeProvider clock, ILogger<StatementRunScheduler> log)
    : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var connection = (NpgsqlConnection)session.Connection!;
        await connection.GetGlobalLock(SchedulingLock, ct);
        try
        {
            await using var command = new NpgsqlCommand(
                $"select count(*) from {Infrastructure.MartenSetup.Schema}.wolverine_incoming_envelopes where message_type like '%RunDueStatements%' and status = 'Scheduled'",
                connection);
            if ((long)(await command.ExecuteScalarAsync(ct))! > 0)
                return;
            var tomorrow = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .ScheduleAsync(new RunDueStatements(tomorrow), new DateTimeOffset(tomorrow.ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero));
            log.LogInformation("Scheduled the statement run for {Day}", tomorrow);
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
