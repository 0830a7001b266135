using Ledger.Api.Accounts.Writing;
using Marten;
using Wolverine;
using Wolverine.Attributes;

namespace Ledger.Api.Statements;

/// <summary>Start a statement run in the background (the portal's way); <see cref="RunId"/> comes from the form, so a form sent twice starts one run.</summary>
public sealed record StartStatementRun(Guid RunId, DateTimeOffset Cutoff, RequestContext Context);

/// <summary>Run a queued statement run: bill every account due on its cut-off's day.</summary>
public sealed record RunStatementRun(Guid RunId, RequestContext Context);

public static class StatementRunHandler
{
    /// <summary>The record and the message that runs it are committed together (Wolverine's outbox): never a queued run that no one runs.</summary>
    public static async Task<OutgoingMessages> Handle(StartStatementRun start, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var messages = new OutgoingMessages();
        if (await session.LoadAsync<StatementRunRecord>(start.RunId, ct) is not null)
            return messages;
        session.Store(new StatementRunRecord
        {
            Id = start.RunId, Cutoff = start.Cutoff, StartedBy = start.Context.Actor.UserId, StartedAt = clock.GetUtcNow(), Status = StatementRunStatus.Queued,
        });
        messages.Add(new RunStatementRun(start.RunId, start.Context));
        return messages;
    }

    /// <summary>
    /// Hours for a large ledger, not Wolverine's default minute. A run taken up again after a crash starts its count afresh and
    /// skips the accounts already billed to that cut-off.
    /// </summary>
    [MessageTimeout(6 * 60 * 60)]
    public static async Task Handle(RunStatementRun run, IDocumentStore store, IServiceScopeFactory scopes, TimeProvider clock,
        ILogger<StatementRunRecord> log, CancellationToken ct)
    {
        StatementRunRecord? record;
        await using (var query = store.QuerySession())
            record = await query.LoadAsync<StatementRunRecord>(run.RunId, ct);
        if (record is null || record.Status == StatementRunStatus.Finished)
            return;
        var due = await RunDueStatementsHandler.DueAsync(store, record.Cutoff.UtcDateTime.Day, ct);
        await StatementRunner.RunAsync(scopes, clock, store, record, due, run.Context, log, ct);
    }
}
