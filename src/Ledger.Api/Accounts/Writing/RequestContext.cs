using Ledger.Api.Access;

namespace Ledger.Api.Accounts.Writing;

/// <summary>What the HTTP layer knows about a write besides its body: who, which version, which retry key.</summary>
public sealed record RequestContext(Actor Actor, string CorrelationId, long? ExpectedVersion, string? IdempotencyKey, string? RequestHash);
