using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Marten;
using Wolverine;

namespace Ledger.Api.Statements;

/// <summary>
/// The nightly run for one calendar day (UTC): bills every open account whose billing day it is, up to that midnight; on the
/// first of a month also every corporate customer's paying node (its consolidated bill for the month that ended).
/// </summary>
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
        // Corporate customers' paying nodes are billed monthly, on the first, for the month that ended.
        if (run.Day.Day == 1)
            foreach (var (treeId, nodeId) in await Corporate.ConsolidatedBills.PayingNodesAsync(store, ct))
                messages.Add(new Corporate.IssueConsolidatedBill(treeId, nodeId, cutoff, System with { CorrelationId = $"consolidated-run-{run.Day:yyyy-MM-dd}" }));
        var next = run.Day.AddDays(1);
        messages.Add(new RunDueStatements(next).ScheduledAt(TimeOf(next)));
        return messages;
    }

    /// <summary>The nightly run starts at 00:05 UTC.</summary>
    public static DateTimeOffset TimeOf(DateOnly day) => new(day.ToDateTime(new TimeOnly(0, 5)), TimeSpan.Zero);

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
