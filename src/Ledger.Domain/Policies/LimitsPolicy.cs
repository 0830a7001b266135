namespace Ledger.Domain.Policies;

/// <summary>What one role may post alone. Amounts are nominal, in the account's currency (no FX conversion).</summary>
public sealed record RoleLimits(decimal MaxSingleCredit, decimal MaxSingleCorrection, decimal DailyCreditTotal, decimal AccountCreditTotal30Days);

/// <summary>
/// The limits in force. Above <see cref="SecondApprovalAbove"/> no one posts alone: even a manager's
/// credit or correction needs two other managers' approvals.
/// </summary>
public sealed record LimitsPolicy(RoleLimits Csr, RoleLimits Manager, decimal SecondApprovalAbove, int ApprovalExpiryHours)
{
    public RoleLimits? For(string role) => role switch
    {
        "csr" => Csr,
        "manager" => Manager,
        _ => null,
    };

    public Rejection? Check()
    {
        foreach (var (role, limits) in new[] { ("csr", Csr), ("manager", Manager) })
        {
            if (limits is null)
                return new Rejection("policy-incomplete", $"Limits for '{role}' are required.", role);
            if (limits.MaxSingleCredit < 0 || limits.MaxSingleCorrection < 0 || limits.DailyCreditTotal < 0 || limits.AccountCreditTotal30Days < 0)
                return new Rejection("policy-negative-limit", $"Limits for '{role}' must not be negative.", role);
        }
        if (Manager.MaxSingleCredit < Csr.MaxSingleCredit || Manager.MaxSingleCorrection < Csr.MaxSingleCorrection
            || Manager.DailyCreditTotal < Csr.DailyCreditTotal || Manager.AccountCreditTotal30Days < Csr.AccountCreditTotal30Days)
            return new Rejection("policy-manager-below-csr", "A manager's limits must be at least a CSR's.", "manager");
        if (SecondApprovalAbove <= 0)
            return new Rejection("policy-negative-limit", "'secondApprovalAbove' must be positive.", "secondApprovalAbove");
        return ApprovalExpiryHours is < 1 or > 24 * 90
            ? new Rejection("policy-expiry-out-of-range", "'approvalExpiryHours' is between 1 and 2160 (90 days).", "approvalExpiryHours")
            : null;
    }
}

/// <summary>Every policy change is a fact: auditors see which limits were in force for any decision (the stream version).</summary>
public sealed record PolicyChanged(LimitsPolicy? Previous, LimitsPolicy Current, string Reason, DateTimeOffset ChangedAt);

public sealed record PolicyState(LimitsPolicy Current, long Version)
{
    public Guid Id { get; init; } = StreamId;

    /// <summary>The single stream that holds the policy's history.</summary>
    public static readonly Guid StreamId = new("5e1f0c1e-0000-4000-8000-00000000a11c");

    public static PolicyState? Evolve(PolicyState? state, object @event) =>
        @event is PolicyChanged changed ? new PolicyState(changed.Current, (state?.Version ?? 0) + 1) : state;
}

public static class ChangingPolicy
{
    public static Decision Decide(PolicyState? current, LimitsPolicy proposed, string reason, DateTimeOffset now)
    {
        if (proposed.Check() is { } invalid)
            return Decision.Reject(invalid);
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        if (current?.Current == proposed)
            return Decision.Reject("policy-unchanged", "The proposed policy is the one in force; nothing to record.");
        return Decision.Accept(new PolicyChanged(current?.Current, proposed, reason.Trim(), now));
    }
}
