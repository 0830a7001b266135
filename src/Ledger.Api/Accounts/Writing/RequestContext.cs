using Ledger.Api.Access;

namespace Ledger.Api.Accounts.Writing;

/// <summary>What the HTTP layer knows about a write besides its body: who, which version, which retry key.</summary>
public sealed record RequestContext(Actor Actor, string CorrelationId, long? ExpectedVersion, string? IdempotencyKey, string? RequestHash)
{
    /// <summary>
    /// The business time of the write. HTTP requests always take the clock's now; only the demo-data seeder (a year of
    /// activity through these same handlers) and the import (history at its original dates) set a past moment.
    /// </summary>
    public DateTimeOffset? EffectiveAt { get; init; }

    /// <summary>For migrated history (`./ledger import`): the file and line it came from, stamped on its events.</summary>
    public string? ImportedFrom { get; init; }

    public DateTimeOffset Now(TimeProvider clock) => EffectiveAt ?? clock.GetUtcNow();
}
