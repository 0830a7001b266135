using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

/// <summary>
/// Look at one account's collections now (<see cref="ReviewCollections"/>). Scheduled durably by the write that makes it due
/// (a bill with something to pay: the day after its due date; a step: the day the next one falls due), sent at once when money
/// settles on an account dunning had reached, and by every collections run. <see cref="Reschedule"/>: a timer's review that
/// finds its step not due yet (a policy changed, a plan is running) sets the next timer itself.
/// </summary>
public sealed record ReviewAccountCollections(Guid AccountId, bool Reschedule);

public static class ReviewAccountCollectionsHandler
{
    public static readonly Actor Collections = new("system:collections", "system", Channel.Desk, null);

    /// <summary>
    /// The policy and the disputed amounts are read first, then the review is written at the account version they were read
    /// at: a payment that lands in between makes the write stale, and it is decided again on the paid account, so no step is
    /// ever taken on a bill that was paid a moment before.
    /// </summary>
    public static async Task<CommandOutcome> Handle(ReviewAccountCollections message, IDocumentStore store, GroupCommit writer, IMessageBus bus,
        TimeProvider clock, CancellationToken ct)
    {
        var policy = await CollectionReviews.PolicyAsync(store, ct);
        for (var attempt = 1; ; attempt++)
        {
            await using var query = store.QueryFor(message.AccountId);
            if (await query.LoadAsync<Account>(message.AccountId, ct) is not { } account)
                return CommandOutcome.NotFound(message.AccountId);
            var disputed = await CollectionReviews.DisputedAsync(query, [account], ct);
            var outcome = await writer.WriteAsync(CollectionReviews.Write(account, policy, disputed.GetValueOrDefault(account.Id),
                $"collections-{message.AccountId:N}"), ct);
            if (outcome.Kind == OutcomeKind.Stale && attempt < 5)
                continue;
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            if (message.Reschedule && outcome is { Kind: OutcomeKind.Applied, Issued: false }
                && ReviewCollections.Upcoming(account, policy.Current, today) is { } upcoming && upcoming.On > today)
                await bus.ScheduleAsync(message, CollectionReviews.TimeOn(upcoming.On));
            return outcome;
        }
    }
}

/// <summary>What every collections review reads and writes, for one account (a timer) or many (a run).</summary>
public static class CollectionReviews
{
    public static async Task<DunningPolicyState> PolicyAsync(IDocumentStore store, CancellationToken ct)
    {
        await using var main = store.QuerySession();
        return await main.LoadAsync<DunningPolicyState>(DunningPolicyState.StreamId, ct)
               ?? throw new InvalidOperationException("No dunning policy is recorded; PolicyBootstrap records one at start-up.");
    }

    /// <summary>What is still owed on the entries each account disputes (open disputes only), by account.</summary>
    public static async Task<Dictionary<Guid, decimal>> DisputedAsync(IQuerySession query, IReadOnlyList<Account> accounts, CancellationToken ct)
    {
        var ids = accounts.SelectMany(a => a.Collections.OpenDisputes.Values).Distinct().ToArray();
        if (ids.Length == 0)
            return [];
        var entries = await query.LoadManyAsync<Entry>(ct, ids);
        return entries.GroupBy(e => e.AccountId).ToDictionary(g => g.Key, g => g.Sum(e => e.Remaining));
    }

    /// <summary>The review of <paramref name="account"/> as read, expected at the version it was read at.</summary>
    public static AccountWrite Write(Account account, DunningPolicyState policy, decimal disputed, string correlation) =>
        new(new ReviewCollections(account.Id, policy.Current, policy.Version, disputed),
            new RequestContext(ReviewAccountCollectionsHandler.Collections, correlation, account.Version, null, null));

    /// <summary>Timers fire a little after midnight UTC of the day a step falls due (steps count whole days).</summary>
    public static DateTimeOffset TimeOn(DateOnly day) => new(day.ToDateTime(new TimeOnly(0, 10)), TimeSpan.Zero);
}
