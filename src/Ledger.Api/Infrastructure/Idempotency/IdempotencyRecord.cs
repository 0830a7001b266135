using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;

namespace Ledger.Api.Infrastructure.Idempotency;

/// <summary>
/// The first answer to a request sent with an Idempotency-Key, stored in the same transaction as the
/// events it produced: either both exist or neither. Keys are scoped to the caller, so one user's key
/// can never replay another user's answer. The key itself is kept only as its SHA-256: it is the client's free
/// text, and the ledger stores no free text it has no use for.
/// </summary>
public sealed record IdempotencyRecord(string Id, string RequestHash, CommandOutcome Outcome, DateTimeOffset RecordedAt)
{
    public static string IdFor(Actor actor, string key) =>
        $"{actor.UserId}\u001f{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))}";

    /// <summary>Keeps the answer of a request sent with a key, in the session that records what it did; returns it.</summary>
    public static CommandOutcome Remember(Marten.IDocumentSession session, RequestContext context, CommandOutcome outcome, DateTimeOffset now)
    {
        if (context.IdempotencyKey is { } key && context.RequestHash is { } hash)
            session.Insert(new IdempotencyRecord(IdFor(context.Actor, key), hash, outcome, now));
        return outcome;
    }
}
