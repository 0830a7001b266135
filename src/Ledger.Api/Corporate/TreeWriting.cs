using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;
using Marten;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>
/// Which tree an account belongs to, one row per member account (its id is the account's). It is written in the same
/// transaction as the tree's event and inserted, never overwritten: two trees adding the same account at once cannot both
/// commit — the second finds the row and is refused.
/// </summary>
public sealed record CorporateMembership(Guid Id, Guid TreeId, string CorporateId, Guid NodeId);

/// <summary>One decision on one corporate tree, by whom (from the token), within which node they administer (null: all).</summary>
public sealed record WriteTree(ITreeCommand Command, RequestContext Context, Guid? Scope);

public static class WriteTreeHandler
{
    /// <summary>
    /// What the decision needs about a member account is read first (the account may live in another database); then the
    /// tree's stream is locked, decided on, appended to, and the membership rows kept beside it in the same transaction.
    /// </summary>
    public static async Task<CommandOutcome> Handle(WriteTree message, IDocumentSession session, IDocumentStore store, TimeProvider clock,
        CancellationToken ct)
    {
        var id = message.Command.TreeId;
        var facts = new TreeFacts(message.Context.Now(clock), new Poster(message.Context.Actor.UserId, message.Context.Actor.Role), message.Scope);
        if (message.Command.AccountToRead is { } accountId)
        {
            await using var accounts = store.QueryFor(accountId);
            facts = facts with
            {
                AccountExists = await accounts.LoadAsync<Account>(accountId, ct) is not null,
                AccountInTree = (await session.LoadAsync<CorporateMembership>(accountId, ct))?.TreeId,
            };
        }
        var stream = await session.Events.FetchForExclusiveWriting<CorporateTree>(id, ct);
        var version = stream.CurrentVersion ?? 0;
        if (message.Command.FlagToRead is { } entryId) // under the lock: a flag recorded by the previous holder is seen
            facts = facts with { AlreadyFlagged = await session.LoadAsync<Ledger.Projections.Corporate.FlaggedCharge>(entryId, ct) is not null };
        if (message.Context.ExpectedVersion is { } expected && expected != version)
            return CommandOutcome.Stale(id, version);
        var decision = message.Command.Decide(stream.Aggregate, facts);
        if (decision.Rejection is { } rejection)
            return CommandOutcome.Refused(id, version, rejection);
        EventMetadata.Stamp(session, message.Context);
        stream.AppendMany(decision.Events.ToArray());
        var corporateId = stream.Aggregate?.CorporateId ?? (decision.Events.OfType<CorporateCreated>().SingleOrDefault()?.CorporateId ?? "");
        foreach (var e in decision.Events)
            switch (e)
            {
                case CorporateMemberAdded added:
                    session.Insert(new CorporateMembership(added.AccountId, id, corporateId, added.NodeId));
                    break;
                case CorporateMemberMoved moved:
                    session.Update(new CorporateMembership(moved.AccountId, id, corporateId, moved.ToNodeId));
                    break;
                case CorporateMemberRemoved removed:
                    session.Delete<CorporateMembership>(removed.AccountId);
                    break;
            }
        return new CommandOutcome(OutcomeKind.Applied, id, id, version + decision.Events.Count, null, null, null);
    }
}

/// <summary>What a corporate admin may see: accounts under the nodes they administer.</summary>
public static class CorporateAccess
{
    /// <summary>The tree a request may act on (null: none — a malformed id, another customer's tree, a role without reach: answer 404).</summary>
    public static (Guid TreeId, Guid? Scope)? ReachOf(HttpContext http, string corporateId) =>
        Domain.Accounts.Opening.CustomerIds.IsValid(corporateId) ? Reach(Actor.From(http.User), corporateId) : null;

    /// <summary>The tree the caller may act on, and the node they are limited to (null: all of it); null when they may not.</summary>
    public static (Guid TreeId, Guid? Scope)? Reach(Actor actor, string corporateId) => actor.Role switch
    {
        Roles.CorporateAdmin when actor.CorporateId == corporateId => (CorporateTree.StreamIdFor(corporateId), actor.CorporateNode),
        Roles.CorporateAdmin => null,
        Roles.Csr or Roles.Manager or Roles.Auditor or Roles.Admin => (CorporateTree.StreamIdFor(corporateId), null),
        _ => null,
    };

    /// <summary>Whether a corporate admin's tree holds the account under the node they administer.</summary>
    public static async Task<bool> CoversAsync(IQuerySession query, Actor actor, Guid accountId, CancellationToken ct)
    {
        if (!actor.IsCorporateAdmin || actor.CorporateId is not { } corporateId)
            return false;
        // Trees and memberships live in the main database, whichever database holds the account.
        await using var main = query.DocumentStore.QuerySession();
        if (await main.LoadAsync<CorporateMembership>(accountId, ct) is not { } membership || membership.CorporateId != corporateId)
            return false;
        if (actor.CorporateNode is not { } scope)
            return true;
        return await main.LoadAsync<CorporateTree>(membership.TreeId, ct) is { } tree && tree.IsWithin(membership.NodeId, scope);
    }
}
