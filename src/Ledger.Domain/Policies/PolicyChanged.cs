namespace Ledger.Domain.Policies;

/// <summary>Every policy change is a fact: auditors see which limits were in force for any decision (the stream version).</summary>
public sealed record PolicyChanged(LimitsPolicy? Previous, LimitsPolicy Current, string Reason, DateTimeOffset ChangedAt);
