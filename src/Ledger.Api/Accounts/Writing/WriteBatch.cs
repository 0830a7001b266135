using JasperFx.Events;
using Ledger.Api.Accounts.TimeTravel;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Api.Integrity;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Notifications;
using Ledger.Domain.Policies;
using Marten;

namespace Ledger.Api.Accounts.Writing;

/// <summary>
/// One transaction's account writes, in the order they came. <see cref="LoadAsync"/> reads, in one round trip, everything
/// they need: the accounts locked for writing (in id order), then the posters' allowance streams (in id order, always after
/// the accounts, so two transactions never wait on each other in a cycle) and the limits policy; then the entries they read.
/// <see cref="Decide"/> runs each pure decision on the account as the writes before it left it, and does for every write what
/// every write needs: the hash-chain link and metadata of each event, checkpoints, the allowance drawn, the follow-ups its
/// events call for, the answer, and the Idempotency-Key record of the answer.
/// <para>
/// <paramref name="shared"/> is the session the allowances and the policy are read and drawn in: the same as
/// <paramref name="session"/> when the accounts' database is the main one (always, with one database), else a session on
/// the main database, committed first by <see cref="GroupCommit"/> (<see cref="Draws"/> says what to give back if the
/// accounts' commit then fails).
/// </para>
/// </summary>
internal sealed class WriteBatch(IDocumentSession session, IDocumentSession shared, TimeProvider clock, decimal ceiling)
{
    /// <summary>
    /// Time travel starts from the nearest checkpoint below the wanted version, so a long history needs one every so often:
    /// after each event that asks for one (<see cref="IKeepsCheckpoint"/>, an issued bill) and every <see cref="CheckpointEvery"/> versions.
    /// </summary>
    public const long CheckpointEvery = 100;

    private sealed class Stream
    {
        public IEventStream<Account>? Fetched;
        public Account? Account;
        public long Version;
    }

    private readonly Dictionary<Guid, Stream> accounts = [];
    private readonly Dictionary<Guid, IEventStream<DailyAllowance>> allowances = [];
    private readonly Dictionary<Guid, decimal> usedToday = [];
    private Dictionary<Guid, Entry> entries = [];
    private PolicyState? policy;

    /// <summary>Member accounts of corporate customers with desk limits of their own → those limits.</summary>
    private readonly Dictionary<Guid, Domain.Corporate.CorporateLimitsState> ownLimits = [];

    public List<FollowUp> FollowUps { get; } = [];

    /// <summary>With several databases, the tenant whose move mark to read with the accounts (<see cref="Moving"/>).</summary>
    public string? MoveMarkOf { get; init; }

    /// <summary>The mark of a move of the accounts' bucket to another database, if one is under way: nothing may be written.</summary>
    public Infrastructure.Databases.BucketMove? Moving { get; private set; }

    /// <summary>What was drawn on allowances, and by whom (each draw's context, for the metadata of its return).</summary>
    public List<(Guid Stream, CreditAllowanceUsed Used, RequestContext Context)> Draws { get; } = [];

    /// <summary>Whether a write reads an entry: it may only be decided first on its account, as entries are read before the batch.</summary>
    public static bool ReadsEntry(AccountWrite write) => ReadsOf(write).HasFlag(Reads.Entry);

    public async Task LoadAsync(IReadOnlyList<AccountWrite> writes, CancellationToken ct)
    {
        var fetching = session.CreateBatchQuery();
        var fetched = writes.Where(w => w.AccountId != Guid.Empty && w.Command is not IOpensAccount).Select(w => w.AccountId).Distinct().Order()
            .ToDictionary(id => id, id => fetching.Events.FetchForExclusiveWriting<Account>(id));
        var moving = MoveMarkOf is { } tenant ? fetching.Load<Infrastructure.Databases.BucketMove>(tenant) : null;
        // The accounts are locked before the allowances, in their database before the main one, so that no two
        // transactions wait on each other in a cycle, across databases neither (where PostgreSQL could not see it).
        var sharing = ReferenceEquals(shared, session) ? fetching : null;
        if (sharing is null)
        {
            await fetching.Execute(ct);
            sharing = shared.CreateBatchQuery();
        }
        var drawn = writes.Where(DrawsOnAllowance).Select(AllowanceOf).Distinct().Order()
            .ToDictionary(id => id, id => sharing.Events.FetchForExclusiveWriting<DailyAllowance>(id));
        var limited = writes.Where(w => ReadsOf(w).HasFlag(Reads.Limits)).Select(w => w.AccountId).Distinct().ToArray();
        var limits = limited.Length > 0 ? sharing.Load<PolicyState>(PolicyState.StreamId) : null;
        // Which of them belong to a corporate customer (trees live in the main database, with the policy).
        var memberships = limited.Length > 0 ? sharing.LoadMany<Corporate.CorporateMembership>().ById(limited) : null;
        await sharing.Execute(ct);
        Moving = moving is null ? null : await moving;

        foreach (var (id, stream) in fetched)
        {
            var fetchedStream = await stream;
            accounts[id] = new Stream { Fetched = fetchedStream, Account = fetchedStream.Aggregate, Version = fetchedStream.CurrentVersion ?? 0 };
        }
        foreach (var (id, stream) in drawn)
        {
            allowances[id] = await stream;
            usedToday[id] = allowances[id].Aggregate?.Used ?? 0m;
        }
        if (limits is not null)
            policy = await limits ?? throw new InvalidOperationException("No limits policy is recorded; PolicyBootstrap records one at start-up.");
        if (memberships is not null && await memberships is { Count: > 0 } members)
        {
            // A second read only when a corporate member is written to: the customers' own limits, where they have any.
            var own = (await shared.LoadManyAsync<Domain.Corporate.CorporateLimitsState>(ct,
                    members.Select(m => Domain.Corporate.CorporateLimitsState.StreamIdFor(m.CorporateId)).Distinct().ToArray()))
                .Where(l => l.Current is not null).ToDictionary(l => l.CorporateId);
            foreach (var member in members)
                if (own.TryGetValue(member.CorporateId, out var state))
                    ownLimits[member.Id] = state;
        }
        var entryIds = writes.Where(ReadsEntry).Select(w => accounts.GetValueOrDefault(w.AccountId)?.Account is { } a ? w.Command.EntryToRead(a) : null)
            .OfType<Guid>().Where(id => id != Guid.Empty).Distinct().ToArray();
        if (entryIds.Length > 0)
            entries = (await session.LoadManyAsync<Entry>(ct, entryIds)).ToDictionary(e => e.Id);
    }

    public CommandOutcome Decide(AccountWrite write)
    {
        var (command, context) = (write.Command, write.Context);
        var id = write.AccountId;
        if (id == Guid.Empty)
            return Remember(context, CommandOutcome.NotFound(id)); // Marten refuses an empty stream id; no account has one
        var stream = accounts.GetValueOrDefault(id) ?? (command is IOpensAccount ? accounts[id] = new Stream() : null);
        var account = stream?.Account;
        if (stream is null || (account is null && command is not IOpensAccount) || (account is not null && !context.Actor.CanSee(account)))
            return Remember(context, CommandOutcome.NotFound(id));
        if (context.ExpectedVersion is { } expected && expected != stream.Version)
            return CommandOutcome.Stale(id, stream.Version);
        if (Domain.Accounts.Lifecycle.ArchiveAccount.Refusal(account, command) is { } archived)
            return Remember(context, CommandOutcome.Refused(id, stream.Version, archived));

        var now = context.Now(clock);
        var facts = new Facts(now, Poster(write), ceiling) { Limits = Limits(write), Entry = Entry(write, account) };
        var decision = account is null ? ((IOpensAccount)command).Open(facts) : command.Decide(account, facts);
        if (decision.Rejection is { } rejection)
            return Remember(context, CommandOutcome.Refused(id, stream.Version, rejection));
        if (decision.Events.Count == 0)
            return new CommandOutcome(OutcomeKind.Applied, id, command.AnswerId, stream.Version, account!.Balance, account.Currency, null) { Issued = false };

        var appended = Append(stream, id, context, decision.Events);
        if (Domain.Collections.CancellationRiskChanged.After(account, stream.Account!, now) is { } risk)
            appended.AddRange(Append(stream, id, context, [risk]));
        if (decision.AllowanceUsed is { } used)
        {
            var allowance = AllowanceOf(write);
            allowances[allowance].AppendOne(EventMetadata.Wrap(shared, context, used));
            usedToday[allowance] += used.Amount;
            Draws.Add((allowance, used, context));
        }
        FollowUps.AddRange(Writing.FollowUps.For(account, appended));
        var after = stream.Account!;
        var answer = decision.Events is [IAwaitsApproval awaits, ..]
            // A posting over the poster's limit is parked, not applied: the balance did not move. (A refund's request
            // carries where the money would go as a second event.)
            ? new CommandOutcome(OutcomeKind.Pending, id, awaits.ApprovalId, stream.Version, after.Balance, after.Currency, null) { ExceededLimit = awaits.ExceededLimit }
            : new CommandOutcome(OutcomeKind.Applied, id, command.AnswerId, stream.Version, after.Balance, after.Currency, null);
        return Remember(context, answer);
    }

    /// <summary>Appends the events with their chain links and metadata, and moves the account on in memory.</summary>
    private List<AppendedEvent> Append(Stream stream, Guid id, RequestContext context, IReadOnlyList<object> events)
    {
        var wrapped = new List<IEvent>(events.Count);
        var appended = new List<AppendedEvent>(events.Count);
        var (state, version) = (stream.Account, stream.Version);
        foreach (var data in events)
        {
            var e = EventMetadata.Wrap(session, context, data);
            var link = EventChain.Link(session, state?.ChainHash, ++version, e.EventTypeName, data, context.Actor.UserId, context.Actor.Role,
                EventMetadata.ChannelName(context.Actor));
            e.SetHeader(Projections.EventHeaders.Chain, link);
            state = Account.Evolve(state, data)! with { ChainHash = link };
            if (version % CheckpointEvery == 0 || data is IKeepsCheckpoint)
                session.Store(AccountCheckpoint.At(state, version));
            wrapped.Add(e);
            appended.Add(new AppendedEvent(version, data));
        }
        if (stream.Fetched is { } fetched && stream.Account is not null)
            fetched.AppendMany(wrapped);
        else
            session.Events.StartStream<Account>(id, wrapped);
        (stream.Account, stream.Version) = (state, version);
        return appended;
    }

    /// <summary>The policy in force, or the account's corporate customer's own desk limits where it has them (named by their scope).</summary>
    private LimitsInForce? Limits(AccountWrite write)
    {
        if (policy is null || !ReadsOf(write).HasFlag(Reads.Limits))
            return null;
        var used = DrawsOnAllowance(write) ? usedToday[AllowanceOf(write)] : 0m;
        return ownLimits.TryGetValue(write.AccountId, out var own)
            ? new LimitsInForce(own.Current!, own.Version, used) { Scope = Domain.Corporate.CorporateLimitsState.ScopeOf(own.CorporateId) }
            : new LimitsInForce(policy.Current, policy.Version, used);
    }

    private Entry? Entry(AccountWrite write, Account? account) =>
        account is not null && ReadsEntry(write) && write.Command.EntryToRead(account) is { } entryId ? entries.GetValueOrDefault(entryId) : null;

    private static Poster Poster(AccountWrite write) => new(write.Context.Actor.UserId, write.Context.Actor.Role);

    private static Reads ReadsOf(AccountWrite write) => write.Command.ReadsFor(Poster(write));

    private bool DrawsOnAllowance(AccountWrite write) => ReadsOf(write).HasFlag(Reads.Allowance) && DailyAllowance.Applies(Poster(write));

    private Guid AllowanceOf(AccountWrite write) => DailyAllowance.StreamIdFor(Poster(write), write.Context.Now(clock));

    private CommandOutcome Remember(RequestContext context, CommandOutcome outcome) =>
        IdempotencyRecord.Remember(session, context, outcome, clock.GetUtcNow());
}
