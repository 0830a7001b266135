using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Policies;

public class ChangingPolicyTests
{
    private static readonly LimitsPolicy First = Limits.Default;
    private static readonly LimitsPolicy Raised = First with { Csr = First.Csr with { MaxSingleCredit = 150m } };

    private static readonly PolicyState InForce = Given.Policy(new PolicyChanged(null, First, "Initial limits", At.Opened));

    [Fact]
    public void Given_no_policy_yet_When_one_is_set_Then_policy_changed_without_previous_and_with_trimmed_reason()
    {
        When.ChangePolicy(null, First, "  Initial limits ").ThenEvents(new PolicyChanged(null, First, "Initial limits", At.Now));
    }

    [Fact]
    public void Given_a_policy_in_force_When_changed_Then_policy_changed_carrying_previous_and_current()
    {
        When.ChangePolicy(InForce, Raised, "Storm season").ThenEvents(new PolicyChanged(First, Raised, "Storm season", At.Now));
    }

    [Fact]
    public void Given_a_policy_in_force_When_the_same_limits_are_proposed_again_Then_rejected_policy_unchanged()
    {
        var sameValues = new LimitsPolicy(
            new RoleLimits(100.00m, 200m, 500m, 300m), new RoleLimits(1_000m, 2_000m, 5_000m, 3_000m), 5_000m, 72);

        When.ChangePolicy(InForce, sameValues, "Again").ThenRejected("policy-unchanged");
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Given_a_policy_in_force_When_changed_without_a_reason_Then_rejected_required(string reason)
    {
        When.ChangePolicy(InForce, Raised, reason).ThenRejected("required", "reason");
    }

    [Fact]
    public void Given_a_policy_in_force_When_changed_with_a_500_character_reason_Then_policy_changed()
    {
        var reason = new string('r', 500);

        When.ChangePolicy(InForce, Raised, reason).ThenEvents(new PolicyChanged(First, Raised, reason, At.Now));
    }

    [Fact]
    public void Given_a_policy_in_force_When_changed_with_a_501_character_reason_Then_rejected_too_long()
    {
        // Like every other text rule (Guards.Text): a missing reason is "required", an over-long one "too-long".
        When.ChangePolicy(InForce, Raised, new string('r', 501)).ThenRejected("too-long", "reason");
    }

    [Fact]
    public void Given_an_invalid_proposal_When_changed_Then_rejected_with_the_policy_rule()
    {
        When.ChangePolicy(InForce, First with { ApprovalExpiryHours = 0 }, "Never expire")
            .ThenRejected("policy-expiry-out-of-range", "approvalExpiryHours");
    }

    [Fact]
    public void Given_no_policy_yet_When_an_invalid_one_is_set_Then_rejected_with_the_policy_rule()
    {
        When.ChangePolicy(null, First with { Manager = First.Manager with { DailyCreditTotal = 499.99m } }, "Initial limits")
            .ThenRejected("policy-manager-below-csr", "manager");
    }
}
