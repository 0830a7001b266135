using JasperFx.Events;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Api.Integrity;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Accounts.Writing;

/// <summary>
/// The one path every account write takes inside its Wolverine handler: load the account for exclusive
/// writing (Marten locks the stream row for this transaction, so writers to one account queue in
/// PostgreSQL instead of failing and retrying; writers to different accounts never wait on each other;
/// the commit still checks the version), check who may see it and the If-Match version,
/// run the pure decision, append, stamp metadata, and keep the answer for Idempotency-Key retries.
/// Wolverine commits the session (AutoApplyTransactions) and retries the whole handler on a version conflict.
/// </summary>
public static class AccountWrites
{
    public delegate Task<Decision> Decide(Account account, IQuerySession session, CancellationToken ct);

    public static async Task<CommandOutcome> ApplyAsync(
        IDocumentSession session, RequestContext context, Guid accountId, Guid? resourceId, Decide decide, TimeProvider clock, CancellationToken ct)
    {
        if (accountId == Guid.Empty)
            return CommandOutcome.NotFound(accountId); // Marten refuses an empty stream id; no account has one
        var stream = await session.Events.FetchForExclusiveWriting<Account>(accountId, ct);
        // The session is this request's alone: what else its handler appends (a poster's allowance use) is stamped too.
        Stamp(session, context);
        return await ApplyToStreamAsync(session, context, stream, resourceId, decide, clock, ct);
    }

    /// <summary>
    /// The same, on a stream already fetched for exclusive writing — by the call above, or by <see cref="GroupCommit"/>,
    /// which fetches many accounts' streams in one round trip and commits their writes in one transaction.
    /// </summary>
    public static async Task<CommandOutcome> ApplyToStreamAsync(
        IDocumentSession session, RequestContext context, IEventStream<Account> stream, Guid? resourceId, Decide decide, TimeProvider clock,
        CancellationToken ct)
    {
        var accountId = stream.Id;
        var account = stream.Aggregate;
        if (account is null || !context.Actor.CanSee(account))
            return Remember(session, context, CommandOutcome.NotFound(accountId), clock);
        if (context.ExpectedVersion is { } expected && expected != stream.CurrentVersion)
            return CommandOutcome.Stale(accountId, stream.CurrentVersion ?? 0);

        var decision = await decide(account, session, ct);
        var version = stream.CurrentVersion ?? 0;
        if (decision.Rejection is { } rejection)
            return Remember(session, context, CommandOutcome.Refused(accountId, version, rejection), clock);

        if (decision.Events.Count == 0)
            return new CommandOutcome(OutcomeKind.Applied, accountId, resourceId, version, account.Balance, account.Currency, null) { Issued = false };
        var links = new string[decision.Events.Count];
        stream.AppendMany(Chained(session, context, account.ChainHash, version, decision.Events, links));
        var after = Checkpointed(session, account, version, decision.Events, links);
        var applied = new CommandOutcome(OutcomeKind.Applied, accountId, resourceId, version + decision.Events.Count, after.Balance, after.Currency, null);
        // A posting over the poster's limit is parked, not applied: the balance did not move.
        if (decision.Events is [ApprovalRequested request])
            applied = applied with { Kind = OutcomeKind.Pending, ResourceId = request.ApprovalId, ExceededLimit = request.ExceededLimit };
        return Remember(session, context, applied, clock);
    }

    public static CommandOutcome Start(IDocumentSession session, RequestContext context, Guid accountId, Decision decision, TimeProvider clock)
    {
        if (decision.Rejection is { } rejection)
            return Remember(session, context, CommandOutcome.Refused(accountId, 0, rejection), clock);

        Stamp(session, context);
        session.Events.StartStream<Account>(accountId, Chained(session, context, null, 0, decision.Events, new string[decision.Events.Count]));
        var opened = decision.Events.Aggregate((Account?)null, Account.Evolve)!;
        return Remember(session, context,
            new CommandOutcome(OutcomeKind.Applied, accountId, accountId, decision.Events.Count, opened.Balance, opened.Currency, null), clock);
    }

    /// <summary>
    /// Time travel starts from the nearest checkpoint below the wanted version, so a long history needs one every so
    /// often: at each issued bill ("as it stood on the bill") and every <see cref="CheckpointEvery"/> versions, the state
    /// is kept in the same transaction as the events that reach it.
    /// </summary>
    public const long CheckpointEvery = 100;

    private static Account Checkpointed(IDocumentSession session, Account account, long version, IReadOnlyList<object> events, string[] links)
    {
        var state = account;
        for (var i = 0; i < events.Count; i++)
        {
            state = Account.Evolve(state, events[i])! with { ChainHash = links[i] };
            if ((version + i + 1) % CheckpointEvery == 0 || events[i] is Domain.Statements.StatementIssued)
                session.Store(TimeTravel.AccountCheckpoint.At(state, version + i + 1));
        }
        return state;
    }

    /// <summary>Wraps each new event with its link in the account's hash chain (see <see cref="EventChain"/>).</summary>
    private static object[] Chained(IDocumentSession session, RequestContext context, string? previous, long version, IReadOnlyList<object> events,
        string[] links)
    {
        var wrapped = new object[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            var e = session.Events.BuildEvent(events[i]);
            previous = EventChain.Link(session, previous, version + i + 1, e.EventTypeName, events[i], context.Actor.UserId, context.Actor.Role,
                ChannelName(context));
            e.SetHeader(EventChain.Header, previous);
            // Who, in which role, through which channel, in answer to which request: from the token (via
            // RequestContext), never from the body — on each event, since one group commit carries many requests.
            e.UserName = context.Actor.UserId;
            e.CorrelationId = context.CorrelationId;
            e.SetHeader(EventHeaders.Actor, context.Actor.UserId);
            e.SetHeader(EventHeaders.Role, context.Actor.Role);
            e.SetHeader(EventHeaders.Channel, ChannelName(context));
            links[i] = previous;
            wrapped[i] = e;
        }
        return wrapped;
    }

    public static string ChannelName(RequestContext context) => context.Actor.Channel == Access.Channel.SelfService ? "self-service" : "desk";

    /// <summary>Session-wide metadata, for a session whose every event is one request's.</summary>
    public static void Stamp(IDocumentSession session, RequestContext context)
    {
        session.LastModifiedBy = context.Actor.UserId;
        session.CorrelationId = context.CorrelationId;
        session.SetHeader(EventHeaders.Actor, context.Actor.UserId);
        session.SetHeader(EventHeaders.Role, context.Actor.Role);
        session.SetHeader(EventHeaders.Channel, ChannelName(context));
    }

    private static CommandOutcome Remember(IDocumentSession session, RequestContext context, CommandOutcome outcome, TimeProvider clock)
    {
        if (context.IdempotencyKey is { } key && context.RequestHash is { } hash)
            session.Insert(new IdempotencyRecord(IdempotencyRecord.IdFor(context.Actor, key), hash, outcome, clock.GetUtcNow()));
        return outcome;
    }
}

public static class EventHeaders
{
    public const string Actor = "actor";
    public const string Role = "role";
    public const string Channel = "channel";
}
