using Ledger.Api.Accounts.Writing;
using Marten;
using Wolverine;

namespace Ledger.Api.Statements;

/// <summary>
/// Bills a list of accounts to one cut-off, four at a time, each account its own message and transaction (idempotent per
/// period: a rerun skips what was billed), and keeps the run's record up to date as it goes. One loop for the API's
/// synchronous run and the portal's background one.
/// </summary>
public static class StatementRunner
{
    public static async Task<StatementRunRecord> RunAsync(IServiceScopeFactory scopes, TimeProvider clock, IDocumentStore store, StatementRunRecord run,
        IReadOnlyList<Guid> accountIds, RequestContext context, ILogger log, CancellationToken ct)
    {
        run.Status = StatementRunStatus.Running;
        (run.Total, run.Done, run.Issued, run.Skipped, run.FailureCount, run.FinishedAt) = (accountIds.Count, 0, 0, 0, 0, null);
        run.Failures.Clear();
        await SaveAsync(store, run, ct);
        // A few dozen writes of the record per run at most, whatever its size: progress for the page, not a second ledger.
        var every = Math.Clamp(accountIds.Count / 40, 1, 250);
        using var saving = new SemaphoreSlim(1, 1);
        await Parallel.ForEachAsync(accountIds, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (id, token) =>
        {
            var (issued, failure) = await IssueAsync(scopes, id, run.Cutoff, context, log, token);
            StatementRunRecord? snapshot = null;
            lock (run)
            {
                if (failure is not null)
                {
                    run.FailureCount++;
                    if (run.Failures.Count < StatementRunRecord.FailuresKept)
                        run.Failures.Add(failure);
                }
                else if (issued)
                    run.Issued++;
                else
                    run.Skipped++;
                if (++run.Done % every == 0 && run.Done < run.Total)
                    snapshot = Copy(run);
            }
            // A writer already busy means a fresher count follows soon: skip rather than queue.
            if (snapshot is not null && await saving.WaitAsync(0, token))
                try { await SaveAsync(store, snapshot, token); }
                finally { saving.Release(); }
        });
        await saving.WaitAsync(ct);
        run.Status = StatementRunStatus.Finished;
        run.FinishedAt = clock.GetUtcNow();
        await SaveAsync(store, run, ct);
        log.LogInformation("Statement run {RunId} to {Cutoff}: {Issued} issued, {Skipped} skipped, {Failed} failed of {Total}",
            run.Id, run.Cutoff, run.Issued, run.Skipped, run.FailureCount, run.Total);
        return run;
    }

    private static async Task<(bool Issued, StatementRunFailure? Failure)> IssueAsync(IServiceScopeFactory scopes, Guid accountId, DateTimeOffset cutoff,
        RequestContext context, ILogger log, CancellationToken ct)
    {
        // A message bus carries per-conversation state: one per account, never shared across the parallel loop.
        await using var scope = scopes.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        CommandOutcome outcome;
        try
        {
            outcome = await bus.InvokeAsync<CommandOutcome>(new IssueStatement(accountId, cutoff, context with { IdempotencyKey = null }), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One account's failure is that account's, on the record for a rerun (which skips what was billed), not the run's end.
            log.LogError(e, "Statement run: account {AccountId} to {Cutoff} failed", accountId, cutoff);
            return (false, new StatementRunFailure(accountId, $"error: {e.GetType().Name}"));
        }
        return outcome.Kind switch
        {
            OutcomeKind.NotFound => (false, new StatementRunFailure(accountId, "account not found")),
            OutcomeKind.Rejected => (false, new StatementRunFailure(accountId, outcome.Rejection!.Message)),
            _ => (outcome is { Kind: OutcomeKind.Applied, Issued: true }, null),
        };
    }

    private static StatementRunRecord Copy(StatementRunRecord run) => new()
    {
        Id = run.Id, Cutoff = run.Cutoff, StartedBy = run.StartedBy, StartedAt = run.StartedAt, Status = run.Status, Total = run.Total, Done = run.Done,
        Issued = run.Issued, Skipped = run.Skipped, FailureCount = run.FailureCount, Failures = [.. run.Failures], FinishedAt = run.FinishedAt,
    };

    private static async Task SaveAsync(IDocumentStore store, StatementRunRecord run, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        session.Store(run);
        await session.SaveChangesAsync(ct);
    }
}
