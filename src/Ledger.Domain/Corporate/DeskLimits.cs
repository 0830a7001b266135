using Ledger.Domain.Policies;

namespace Ledger.Domain.Corporate;

/// <summary>
/// A corporate customer's own desk limits, in place of the limits policy for its member accounts (<see cref="Current"/>
/// null: the policy in force again). Each change is an event on the customer's own limits stream, with who and why.
/// </summary>
public sealed record CorporateLimitsChanged(string CorporateId, LimitsPolicy? Previous, LimitsPolicy? Current, string Reason, DateTimeOffset ChangedAt);

public sealed record CorporateLimitsState(string CorporateId, LimitsPolicy? Current, long Version)
{
    public Guid Id { get; init; }

    public static Guid StreamIdFor(string corporateId) => DeterministicId.From($"corporate-limits|{corporateId}");

    /// <summary>How decisions made under these limits name them: "corporate:{id}" before the limit's code.</summary>
    public static string ScopeOf(string corporateId) => $"corporate:{corporateId}";

    public static CorporateLimitsState? Evolve(CorporateLimitsState? state, Guid id, object @event) =>
        @event is CorporateLimitsChanged changed ? new CorporateLimitsState(changed.CorporateId, changed.Current, (state?.Version ?? 0) + 1) { Id = id } : state;

    /// <summary>Set the customer's limits (<paramref name="proposed"/> null: back to the policy in force), with a reason.</summary>
    public static Decision Change(CorporateLimitsState? state, string corporateId, LimitsPolicy? proposed, string reason, DateTimeOffset now)
    {
        if (proposed?.Check() is { } invalid)
            return Decision.Reject(invalid);
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        if (state?.Current == proposed)
            return Decision.Reject(proposed is null ? "limits-unchanged" : "policy-unchanged",
                proposed is null ? $"'{corporateId}' has no limits of its own; the policy in force applies." : "Those limits are already in force for this customer.");
        return Decision.Accept(new CorporateLimitsChanged(corporateId, state?.Current, proposed, reason.Trim(), now));
    }
}
