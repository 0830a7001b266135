using System.Diagnostics;
using System.Threading.Channels;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.Telemetry;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;

namespace Ledger.Api.Accounts.Writing;

public sealed class GroupCommitOptions
{
    /// <summary>Most writes one transaction carries from the queue (a bulk request carries all of its items).</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>Transactions in flight at once: one fills while another commits.</summary>
    public int Writers { get; set; } = 2;
}

/// <summary>
/// The one write path of every account write. Writes waiting at the same moment share one transaction — one round trip
/// to lock and read what they need, one commit (one WAL flush) for all — and are decided one after another in memory
/// (<see cref="WriteBatch"/>), several writes to one account included, each checked against the version the ones before
/// it left. A write that reads an entry waits for the next transaction if its account already has a write in this one,
/// since entries are read before the decisions.
/// <para>
/// If the shared transaction fails for any reason (a version conflict with a writer outside it, an Idempotency-Key raced
/// by a twin request, a deadlock, a decision that throws), nothing of it was committed and each of its writes runs again
/// alone, so one bad write never fails another. What a write alone throws reaches its Wolverine handler, whose retry
/// policy applies. The follow-ups the events call for (notices, expiries) go through Wolverine's durable outbox, enrolled
/// in the same transaction: a crash keeps the events and their follow-ups, or neither.
/// </para>
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private sealed record Pending(AccountWrite Write)
    {
        public TaskCompletionSource<CommandOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The span of the request (or message) that sent the write: its transaction's span is a child of the first one's.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;
    }

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly CancellationTokenSource stopping = new();
    private readonly IDocumentStore store;
    private readonly DatabaseMap databases;
    private readonly IServiceProvider services;
    private readonly TimeProvider clock;
    private readonly GroupCommitOptions options;
    private readonly decimal ceiling;
    private readonly ILogger<GroupCommit> log;
    private readonly Lazy<Task[]> writers;

    public GroupCommit(IDocumentStore store, DatabaseMap databases, IServiceProvider services, TimeProvider clock,
        IOptions<GroupCommitOptions> options, IOptions<LedgerOptions> ledger, ILogger<GroupCommit> log)
    {
        this.store = store;
        this.databases = databases;
        this.services = services;
        this.clock = clock;
        this.options = options.Value;
        ceiling = ledger.Value.PostingCeiling;
        this.log = log;
        // Started by the first write, not by the host: commands and tests that use the container without running
        // hosted services write through here too. Without the first caller's context: its span (and log scope) would
        // otherwise be the parent of every transaction the writers ever commit.
        writers = new Lazy<Task[]>(() =>
        {
            using var unflowed = ExecutionContext.SuppressFlow();
            return Enumerable.Range(0, Math.Max(1, this.options.Writers)).Select(_ => Task.Run(WriteAsync)).ToArray();
        });
    }

    /// <summary>Decides and appends the write in the next shared transaction; its answer once that is committed.</summary>
    public Task<CommandOutcome> WriteAsync(AccountWrite write, CancellationToken ct)
    {
        _ = writers.Value;
        var pending = new Pending(write);
        if (stopping.IsCancellationRequested || !queue.Writer.TryWrite(pending))
            throw new OperationCanceledException("The ledger is shutting down.");
        // A caller that stops waiting does not withdraw the write (as with any request whose answer is lost);
        // its Idempotency-Key makes the retry safe.
        return pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>Many writes sent together (a bulk request): committed together, each decided and answered on its own.</summary>
    public async Task<IReadOnlyList<CommandOutcome>> WriteManyAsync(IReadOnlyList<AccountWrite> writes, CancellationToken ct)
    {
        var pending = writes.Select(w => new Pending(w)).ToList();
        for (var round = pending; round.Count > 0;)
        {
            var (now, later) = Split(round, int.MaxValue);
            await CommitAsync(now);
            round = later;
        }
        var outcomes = new List<CommandOutcome>(pending.Count);
        foreach (var p in pending)
            outcomes.Add(await Answered(p).WaitAsync(ct));
        return outcomes;
    }

    /// <summary>
    /// A bulk item that failed even alone (a version conflict, its Idempotency-Key raced by a twin request) is answered
    /// on its own, like a refused item: nothing of it was written, and sending it again with its key is safe.
    /// </summary>
    private async Task<CommandOutcome> Answered(Pending pending)
    {
        try
        {
            return await pending.Done.Task;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogInformation("A bulk item on {Account} was not written ({Error})", pending.Write.AccountId, e.GetType().Name);
            return CommandOutcome.Refused(pending.Write.AccountId, 0, new Domain.Rejection("concurrent-update",
                "Another write got in this item's way and nothing of it was written; send it again with the same idempotencyKey.", IsConflict: true));
        }
    }

    private async Task WriteAsync()
    {
        var carried = new List<Pending>();
        try
        {
            while (carried.Count > 0 || await queue.Reader.WaitToReadAsync(stopping.Token))
            {
                while (carried.Count < 4 * options.MaxBatch && queue.Reader.TryRead(out var next))
                    carried.Add(next);
                var (batch, later) = Split(carried, options.MaxBatch);
                carried = later;
                await CommitAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        foreach (var pending in carried)
            pending.Done.TrySetCanceled();
        while (queue.Reader.TryRead(out var left))
            left.Done.TrySetCanceled();
    }

    /// <summary>
    /// The writes for one transaction, in order, and those that wait for the next (an entry read behind another write to
    /// its account, or a write to an account in another database than the first write's: a transaction is in one database).
    /// </summary>
    private (List<Pending> Now, List<Pending> Later) Split(List<Pending> waiting, int max)
    {
        var (now, later) = (new List<Pending>(), new List<Pending>());
        var (touched, deferred) = (new HashSet<Guid>(), new HashSet<Guid>());
        LedgerDatabase? database = null;
        foreach (var pending in waiting)
        {
            var account = pending.Write.AccountId;
            var its = databases.DatabaseOf(Buckets.Of(account));
            database ??= its;
            // Once one write to an account waits, the ones after it wait too: each account's writes keep their order.
            var fits = now.Count < max && its == database && !deferred.Contains(account) &&
                (!touched.Contains(account) || !WriteBatch.ReadsEntry(pending.Write));
            if (fits)
                touched.Add(account);
            else
                deferred.Add(account);
            (fits ? now : later).Add(pending);
        }
        return (now, later);
    }

    private async Task CommitAsync(List<Pending> batch)
    {
        // Another writer took what this one woke up for.
        if (batch.Count == 0)
            return;
        if (batch.Count == 1)
        {
            await AloneAsync(batch[0]);
            return;
        }
        CommandOutcome[] outcomes;
        try
        {
            outcomes = await DecideAndCommitAsync(batch);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogInformation("A group commit of {Count} writes failed ({Error}); each runs again alone", batch.Count, e.GetType().Name);
            // Accounts side by side, each account's writes in their order.
            await Task.WhenAll(batch.GroupBy(p => p.Write.AccountId).Select(async account =>
            {
                foreach (var pending in account)
                    await AloneAsync(pending);
            }));
            return;
        }
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(outcomes[i]);
    }

    private async Task AloneAsync(Pending pending)
    {
        try
        {
            pending.Done.TrySetResult((await DecideAndCommitAsync([pending]))[0]);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    private async Task<CommandOutcome[]> DecideAndCommitAsync(IReadOnlyList<Pending> pending)
    {
        var writes = pending.Select(p => p.Write).ToList();
        using var span = Traced(pending);
        // Split keeps a transaction's writes in one database; with several, the one holding the first write's bucket.
        var tenant = store.TenantFor(writes[0].AccountId);
        await using var session = store.LightweightSession(tenant);
        // The allowances and the policy are in the main database: a second session when the accounts are elsewhere.
        await using var elsewhere = databases.DatabaseOf(Buckets.Of(writes[0].AccountId)).IsMain ? null : store.LightweightSession();
        using var connectionSpans = LedgerTracing.EndsMartenConnections(span);
        var batch = new WriteBatch(session, elsewhere ?? session, clock, ceiling) { MoveMarkOf = store.IsSharded() ? tenant : null };
        await batch.LoadAsync(writes, stopping.Token);
        // Its bucket is being copied to another database (move-bucket): nothing may be added behind the copy.
        if (batch.Moving is { } move)
            throw new BucketMovingException(move);
        var outcomes = writes.Select(batch.Decide).ToArray();
        if (batch.FollowUps.Count > 0)
        {
            await using var scope = services.CreateAsyncScope();
            var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
            outbox.Enroll(session);
            // The follow-ups (notices, expiries) are handled on the accounts' database, as their tenant.
            if (store.IsSharded())
                outbox.TenantId = tenant;
            foreach (var followUp in batch.FollowUps)
                await (followUp.At is { } at ? outbox.ScheduleAsync(followUp.Message, at) : outbox.PublishAsync(followUp.Message));
        }
        if (elsewhere is null || batch.Draws.Count == 0)
        {
            await session.SaveChangesAsync(stopping.Token);
            LedgerMetrics.Committed(writes, outcomes);
            return outcomes;
        }
        // Two databases, no transaction spanning them: the draws first (the allowance is then never under-counted), the
        // accounts' events second, and the draws given back if that fails.
        await elsewhere.SaveChangesAsync(stopping.Token);
        try
        {
            await session.SaveChangesAsync(stopping.Token);
        }
        catch (Exception e)
        {
            await ReturnDrawsAsync(batch.Draws, e);
            throw;
        }
        LedgerMetrics.Committed(writes, outcomes);
        return outcomes;
    }

    /// <summary>
    /// The transaction's span: a child of the first write's caller, so one request's trace goes on into Marten and PostgreSQL,
    /// and linked to the other writes' callers that shared it. Null when no one listens.
    /// </summary>
    private static Activity? Traced(IReadOnlyList<Pending> pending)
    {
        if (!LedgerTracing.Source.HasListeners())
            return null;
        var links = pending.Skip(1).Where(p => p.Caller != default).Select(p => new ActivityLink(p.Caller)).ToList();
        var span = LedgerTracing.Source.StartActivity("ledger.group_commit", ActivityKind.Internal, pending[0].Caller, links: links);
        span?.SetTag("ledger.batch_size", pending.Count);
        return span;
    }

    /// <summary>
    /// Gives back the draws of a transaction whose accounts' events were not committed (several databases only). Should the
    /// main database refuse that too, the draws stand, which errs on the safe side: the users may credit less that day.
    /// </summary>
    private async Task ReturnDrawsAsync(IReadOnlyList<(Guid Stream, CreditAllowanceUsed Used, RequestContext Context)> draws, Exception cause)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var shared = store.LightweightSession();
                foreach (var (stream, used, context) in draws)
                    shared.Events.Append(stream, EventMetadata.Wrap(shared, context, DailyAllowance.Return(used)));
                await shared.SaveChangesAsync(CancellationToken.None);
                log.LogInformation("Gave back {Count} allowance draws of a transaction that failed ({Error})", draws.Count, cause.GetType().Name);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                log.LogWarning(e, "Giving back allowance draws failed; trying again");
                await Task.Delay(100 * attempt);
            }
            catch (Exception e)
            {
                log.LogError(e, "Could not give back {Count} allowance draws; their users' allowance for the day stays drawn by {Total}",
                    draws.Count, draws.Sum(d => d.Used.Amount));
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        queue.Writer.TryComplete();
        if (writers.IsValueCreated)
            await Task.WhenAll(writers.Value).WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        stopping.Dispose();
    }
}
