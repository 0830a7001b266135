namespace Ledger.Domain.Policies;

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
