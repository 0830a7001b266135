namespace Ledger.Domain.Accounts.Profile;

// Facts of the account's stream about how its customer is told (see AccountEvents for the rest).

/// <summary>The contact in force changed. <see cref="Email"/> is always a confirmed address (or none).</summary>
public sealed record ContactPreferencesChanged(Guid AccountId, ContactChannel Channel, string? Email, DateTimeOffset ChangedAt);

/// <summary>Someone asked for notices to go to a new address; it is used only once its owner confirms it.</summary>
public sealed record ContactEmailVerificationRequested(Guid AccountId, Guid VerificationId, string Address, DateTimeOffset ExpiresAt,
    DateTimeOffset RequestedAt);

/// <summary>The owner of a pending address followed its link: from now on notices go there.</summary>
public sealed record ContactEmailVerified(Guid AccountId, Guid VerificationId, string Address, DateTimeOffset VerifiedAt);
