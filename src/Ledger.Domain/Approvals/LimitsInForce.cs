using Ledger.Domain.Policies;

namespace Ledger.Domain.Approvals;

/// <summary>The policy in force (and its version), and what the poster already credited alone today.</summary>
public sealed record LimitsInForce(LimitsPolicy Policy, long Version, decimal UsedToday);
