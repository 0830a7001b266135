namespace Ledger.Domain.Accounts.Profile;

/// <summary>An address waiting for its owner to confirm it, through the single-use link sent to it.</summary>
public sealed record PendingEmail(Guid VerificationId, string Address, DateTimeOffset ExpiresAt);
