namespace Ledger.Domain.Policies;

/// <summary>One limit that a change moved: its name as the API spells it (csr.maxSingleCredit), before and after.</summary>
public sealed record PolicyDifference(string Limit, decimal? Before, decimal After);

/// <summary>What a change of the limits policy changed, limit by limit: the diff an admin reads in the policy's history.</summary>
public static class PolicyDifferences
{
    public static IReadOnlyList<PolicyDifference> Between(LimitsPolicy? previous, LimitsPolicy current)
    {
        var before = previous is null ? [] : Limits(previous).ToDictionary(l => l.Name, l => l.Value);
        return Limits(current).Where(l => !before.TryGetValue(l.Name, out var was) || was != l.Value)
            .Select(l => new PolicyDifference(l.Name, previous is null ? null : before[l.Name], l.Value)).ToList();
    }

    /// <summary>Every limit of a policy by name, in the order a form shows them.</summary>
    public static IEnumerable<(string Name, decimal Value)> Limits(LimitsPolicy policy)
    {
        foreach (var (role, limits) in new[] { ("csr", policy.Csr), ("manager", policy.Manager) })
        {
            yield return ($"{role}.maxSingleCredit", limits.MaxSingleCredit);
            yield return ($"{role}.maxSingleCorrection", limits.MaxSingleCorrection);
            yield return ($"{role}.dailyCreditTotal", limits.DailyCreditTotal);
            yield return ($"{role}.accountCreditTotal30Days", limits.AccountCreditTotal30Days);
        }
        yield return ("secondApprovalAbove", policy.SecondApprovalAbove);
        yield return ("approvalExpiryHours", policy.ApprovalExpiryHours);
    }
}
