using Ledger.Domain;

namespace Ledger.Api.Accounts.Writing;

public enum OutcomeKind { Applied, Pending, Rejected, NotFound, Stale }

/// <summary>
/// What a write decided, in the ledger's terms; the endpoint turns it into HTTP. It is also what an
/// idempotency record keeps, so a retried request gets exactly the first answer.
/// </summary>
public sealed record CommandOutcome(
    OutcomeKind Kind, Guid AccountId, Guid? ResourceId, long Version, decimal? Balance, string? Currency, Rejection? Rejection)
{
    /// <summary>False when the decision had nothing to record (a statement already issued for that period, an expiry already decided).</summary>
    public bool Issued { get; init; } = true;

    /// <summary>For a request parked for approval: the limit it went over.</summary>
    public string? ExceededLimit { get; init; }

    public static CommandOutcome NotFound(Guid accountId) => new(OutcomeKind.NotFound, accountId, null, 0, null, null, null);
    public static CommandOutcome Stale(Guid accountId, long current) => new(OutcomeKind.Stale, accountId, null, current, null, null, null);
    public static CommandOutcome Refused(Guid accountId, long version, Rejection rejection) =>
        new(OutcomeKind.Rejected, accountId, null, version, null, null, rejection);
}
