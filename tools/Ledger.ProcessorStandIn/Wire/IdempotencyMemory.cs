using System.Collections.Concurrent;

namespace Ledger.ProcessorStandIn.Wire;

/// <summary>The answers remembered per idempotency key, for as long as the stand-in runs.</summary>
internal sealed class IdempotencyMemory
{
    public ConcurrentDictionary<string, IdempotencyKeys.Remembered> Requests { get; } = new(StringComparer.Ordinal);
}
