using Ledger.Domain.Policies;

namespace Ledger.Domain.Approvals;

/// <summary>
/// The policy in force (and its version), and what the poster already credited alone today. <see cref="Scope"/> names a
/// customer's own limits in force instead of the policy (e.g. "corporate:acme"): decisions then name their limits under it
/// ("corporate:acme/csr.max-single-credit"), and <see cref="Version"/> is the version of those limits.
/// </summary>
public sealed record LimitsInForce(LimitsPolicy Policy, long Version, decimal UsedToday)
{
    public string? Scope { get; init; }

    /// <summary>A limit's code as decisions record it: under the scope, if the customer's own limits are in force.</summary>
    public string Code(string code) => Scope is { } scope ? $"{scope}/{code}" : code;
}
