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
