using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

/// <summary>
/// Review every account now: the nightly run for <see cref="Day"/> (which schedules the next night's, <see cref="Reschedule"/>),
/// one started by a policy change, or an admin's. The per-account timers do the same work on time; the run catches what no timer
/// covers (accounts billed before collections existed, a timer lost with a crashed node) and brings every account up to date.
/// </summary>
public sealed record RunCollections(DateOnly Day, bool Reschedule);

/// <summary>What a run did: accounts read, accounts with something due, and what was written, by kind.</summary>
public sealed record CollectionRunReport(DateTimeOffset At, int Considered, int Due, IReadOnlyDictionary<string, int> Written, int Failed, double Seconds);

public static class CollectionRun
{
    public const int PageSize = 1_000;

    /// <summary>
    /// Pages through every account still open to collections, in each database, and decides each in memory on the page as read;
    /// only those with something due are written, a page at a time in one shared transaction (each expected at the version read,
    /// so a write that raced it is decided again on its own by <see cref="ReviewAccountCollectionsHandler"/>).
    /// </summary>
    public static async Task<CollectionRunReport> RunAsync(IDocumentStore store, GroupCommit writer, IMessageBus bus, TimeProvider clock,
        ILogger log, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var now = clock.GetUtcNow();
        var policy = await CollectionReviews.PolicyAsync(store, ct);
        int considered = 0, due = 0, failed = 0;
        var written = new Dictionary<string, int>();
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
            {
                for (var after = Guid.Empty; ;)
                {
                    // Keyset paging: each page starts after the last id of the one before, whatever the table's size.
                    var page = await query.QueryAsync<Account>("where id > ? order by id limit ?", ct, after, PageSize);
                    if (page.Count == 0)
                        break;
                    after = page[^1].Id;
                    considered += page.Count;
                    var candidates = page.Where(a => a.Status != AccountStatus.Closed && a.ArchivedAt is null).Select(a => (Account: a,
                        Decision: ReviewCollections.Decide(a, new ReviewCollections(a.Id, policy.Current, policy.Version, 0m), now)))
                        .Where(c => c.Decision.Events.Count > 0).ToList();
                    if (candidates.Count == 0)
                        continue;
                    var disputed = await CollectionReviews.DisputedAsync(query, [.. candidates.Select(c => c.Account)], ct);
                    var writes = candidates.Select(c => CollectionReviews.Write(c.Account, policy, disputed.GetValueOrDefault(c.Account.Id),
                        $"collection-run-{now:yyyy-MM-ddTHH:mm:ss}")).ToList();
                    var outcomes = await writer.WriteManyAsync(writes, ct);
                    for (var i = 0; i < outcomes.Count; i++)
                    {
                        var outcome = outcomes[i];
                        if (outcome.Kind == OutcomeKind.Stale)
                            outcome = await bus.InvokeAsync<CommandOutcome>(new ReviewAccountCollections(writes[i].AccountId, false), ct);
                        if (outcome.Kind is OutcomeKind.Rejected or OutcomeKind.NotFound or OutcomeKind.Stale)
                            failed++;
                        else if (outcome.Issued)
                        {
                            due++;
                            foreach (var kind in candidates[i].Decision.Events.Select(KindOf))
                                written[kind] = written.GetValueOrDefault(kind) + 1;
                        }
                    }
                    log.LogInformation("Collections run: {Considered} accounts read, {Due} with something due", considered, due);
                }
            }
        return new CollectionRunReport(now, considered, due, written, failed, clock.GetElapsedTime(started).TotalSeconds);
    }

    private static string KindOf(object e) => e is CollectionStepRaised step ? $"step:{step.Step}" : e.GetType().Name;
}

public static class RunCollectionsHandler
{
    public static async Task<OutgoingMessages> Handle(RunCollections run, IDocumentStore store, GroupCommit writer, IMessageBus bus, TimeProvider clock,
        ILogger<CollectionRunReport> log, CancellationToken ct)
    {
        var report = await CollectionRun.RunAsync(store, writer, bus, clock, log, ct);
        log.LogInformation("Collections run for {Day}: {Report}", run.Day, report);
        var next = new OutgoingMessages();
        if (run.Reschedule)
            next.Add(new RunCollections(run.Day.AddDays(1), true).ScheduledAt(CollectionsSchedule.TimeOf(run.Day.AddDays(1))));
        return next;
    }
}

public static class CollectionsSchedule
{
    /// <summary>The nightly run starts at 00:30 UTC, after the statement run (00:05) has issued the day's bills.</summary>
    public static DateTimeOffset TimeOf(DateOnly day) => new(day.ToDateTime(new TimeOnly(0, 30)), TimeSpan.Zero);
}

public static class CollectionRunEndpoint
{
    public static void MapCollectionRuns(this RouteGroupBuilder collections) => collections
        .MapPost("/runs", async (HttpContext http, IDocumentStore store, GroupCommit writer, IMessageBus bus, TimeProvider clock,
            ILogger<CollectionRunReport> log) => Results.Ok(await CollectionRun.RunAsync(store, writer, bus, clock, log, http.RequestAborted)))
        .RequireAuthorization(AccessPolicies.Admin)
        .WithName("RunCollections")
        .WithSummary("Review every account's collections now (admin), as the nightly run does: steps due are taken, paid-up accounts leave dunning, paid cancelled ones are reinstated. Safe to repeat.")
        .Produces<CollectionRunReport>();
}
