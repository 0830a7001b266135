using System.Threading.Channels;
using JasperFx.Events;
using Ledger.Api.Notifications;
using Ledger.Domain.Accounts;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine.Marten;

namespace Ledger.Api.Accounts.Writing;

public sealed class GroupCommitOptions
{
    /// <summary>Most writes one transaction carries.</summary>
    public int MaxBatch { get; set; } = 64;

    /// <summary>Transactions in flight at once: one fills while another commits.</summary>
    public int Writers { get; set; } = 2;
}

/// <summary>
/// Group commit for the hot account writes. Each handler still decides its own command with the same rules
/// (<see cref="AccountWrites.ApplyToStreamAsync"/> is the one write path), but the writes waiting at the same moment share one transaction: their streams are
/// fetched and locked (<c>for update</c>, in account order) in one round trip, every write is decided on its own
/// account, and one commit — one WAL flush — appends them all, each still checked against its own stream version.
/// A transaction carries one write per account; a second write to the same account waits for the next one, so it
/// decides on the state the first left.
/// <para>
/// If the shared transaction fails for any reason (a version conflict with a writer outside it, an Idempotency-Key
/// raced by a twin request, a deadlock, a decision that throws), nothing of it was committed and each of its
/// writes runs again alone in its own transaction, so one bad write never fails another. What a write alone
/// throws reaches its own handler, whose Wolverine retry policy applies as before.
/// </para>
/// <para>
/// Writes that tell the customer (<see cref="ApplyNotifyingAsync"/>) put their notices in Wolverine's durable outbox,
/// enrolled in the same transaction, exactly as <see cref="NotifyingWrites"/> does inside a handler: a crash keeps the
/// events and their notices, or neither.
/// </para>
/// </summary>
public sealed class GroupCommit : IAsyncDisposable
{
    private sealed record Pending(RequestContext Context, Guid AccountId, Guid? ResourceId, AccountWrites.Decide Decide, bool Notify)
    {
        public TaskCompletionSource<CommandOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>();
    private readonly CancellationTokenSource stopping = new();
    private readonly IDocumentStore store;
    private readonly IServiceProvider services;
    private readonly TimeProvider clock;
    private readonly GroupCommitOptions options;
    private readonly ILogger<GroupCommit> log;
    private readonly Lazy<Task[]> writers;

    public GroupCommit(IDocumentStore store, IServiceProvider services, TimeProvider clock, IOptions<GroupCommitOptions> options, ILogger<GroupCommit> log)
    {
        this.store = store;
        this.services = services;
        this.clock = clock;
        this.options = options.Value;
        this.log = log;
        // Started by the first write, not by the host: commands and tests that use the container without running
        // hosted services write through here too.
        writers = new Lazy<Task[]>(() => Enumerable.Range(0, Math.Max(1, this.options.Writers)).Select(_ => Task.Run(WriteAsync)).ToArray());
    }

    /// <summary>Decides and appends the write in the next shared transaction; the outcome once it is committed.</summary>
    public Task<CommandOutcome> ApplyAsync(RequestContext context, Guid accountId, Guid? resourceId, AccountWrites.Decide decide, CancellationToken ct) =>
        Enqueue(new Pending(context, accountId, resourceId, decide, Notify: false), ct);

    /// <summary>The same, with the notices its events call for (<see cref="NotifyingWrites.Cascade"/>) committed in the outbox.</summary>
    public Task<CommandOutcome> ApplyNotifyingAsync(RequestContext context, Guid accountId, Guid? resourceId, AccountWrites.Decide decide,
        CancellationToken ct) =>
        Enqueue(new Pending(context, accountId, resourceId, decide, Notify: true), ct);

    private Task<CommandOutcome> Enqueue(Pending pending, CancellationToken ct)
    {
        _ = writers.Value;
        if (stopping.IsCancellationRequested || !queue.Writer.TryWrite(pending))
            throw new OperationCanceledException("The ledger is shutting down.");
        // A caller that stops waiting does not withdraw the write (as with any request whose answer is lost);
        // its Idempotency-Key makes the retry safe.
        return pending.Done.Task.WaitAsync(ct);
    }

    private async Task WriteAsync()
    {
        var carried = new List<Pending>();
        try
        {
            while (carried.Count > 0 || await queue.Reader.WaitToReadAsync(stopping.Token))
            {
                var batch = new List<Pending>();
                var accounts = new HashSet<Guid>();
                var later = new List<Pending>();
                foreach (var pending in carried)
                    (batch.Count < options.MaxBatch && accounts.Add(pending.AccountId) ? batch : later).Add(pending);
                while (batch.Count < options.MaxBatch && later.Count < 4 * options.MaxBatch && queue.Reader.TryRead(out var next))
                    (accounts.Add(next.AccountId) ? batch : later).Add(next);
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

    private async Task CommitAsync(List<Pending> batch)
    {
        if (batch.Count == 1)
        {
            await AloneAsync(batch[0]);
            return;
        }
        var outcomes = new CommandOutcome[batch.Count];
        try
        {
            await using var session = store.LightweightSession();
            await using var outbox = Outbox(session, batch);
            var fetching = session.CreateBatchQuery();
            var streams = batch.Select(p => p.AccountId).Where(id => id != Guid.Empty).Order()
                .ToDictionary(id => id, id => fetching.Events.FetchForExclusiveWriting<Account>(id));
            await fetching.Execute(stopping.Token);
            // An empty id is not fetched (Marten refuses it); the write path answers it as not found without a query.
            for (var i = 0; i < batch.Count; i++)
                outcomes[i] = await DecideAsync(session, outbox, batch[i],
                    streams.TryGetValue(batch[i].AccountId, out var fetched) ? await fetched : null);
            await session.SaveChangesAsync(stopping.Token);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            log.LogInformation("A group commit of {Count} writes failed ({Error}); each runs again alone", batch.Count, e.GetType().Name);
            await Task.WhenAll(batch.Select(AloneAsync));
            return;
        }
        for (var i = 0; i < batch.Count; i++)
            batch[i].Done.TrySetResult(outcomes[i]);
    }

    private async Task AloneAsync(Pending pending)
    {
        try
        {
            await using var session = store.LightweightSession();
            await using var outbox = Outbox(session, [pending]);
            var outcome = await DecideAsync(session, outbox, pending, null);
            await session.SaveChangesAsync(stopping.Token);
            pending.Done.TrySetResult(outcome);
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    /// <summary>One write on its fetched stream (without one, the write path fetches it), and its notices into the outbox.</summary>
    private async Task<CommandOutcome> DecideAsync(IDocumentSession session, EnrolledOutbox? outbox, Pending pending, IEventStream<Account>? stream)
    {
        Task<CommandOutcome> Write(AccountWrites.Decide decide) => stream is null
            ? AccountWrites.ApplyAsync(session, pending.Context, pending.AccountId, pending.ResourceId, decide, clock, stopping.Token)
            : AccountWrites.ApplyToStreamAsync(session, pending.Context, stream, pending.ResourceId, decide, clock, stopping.Token);
        if (!pending.Notify || outbox is null)
            return await Write(pending.Decide);
        var (outcome, notices) = await NotifyingWrites.WithNotices(session, pending.Decide, Write);
        foreach (var notice in notices)
            await outbox.Outbox.PublishAsync(notice);
        return outcome;
    }

    /// <summary>Wolverine's outbox enrolled in the session, when a write in it tells customers: its messages commit with the events.</summary>
    private EnrolledOutbox? Outbox(IDocumentSession session, IEnumerable<Pending> writes)
    {
        if (!writes.Any(p => p.Notify))
            return null;
        var scope = services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        outbox.Enroll(session);
        return new EnrolledOutbox(scope, outbox);
    }

    private sealed record EnrolledOutbox(AsyncServiceScope Scope, IMartenOutbox Outbox) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Scope.DisposeAsync();
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
