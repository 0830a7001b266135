using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Policies;

public class PolicyDifferencesTests
{
    private static readonly LimitsPolicy Policy = Limits.Default;

    [Fact]
    public void Given_a_change_of_two_limits_When_compared_Then_only_those_two_are_named_with_before_and_after()
    {
        var changed = Policy with { Csr = Policy.Csr with { MaxSingleCredit = 85m }, ApprovalExpiryHours = 48 };

        PolicyDifferences.Between(Policy, changed).Should().Equal(
            new PolicyDifference("csr.maxSingleCredit", Policy.Csr.MaxSingleCredit, 85m),
            new PolicyDifference("approvalExpiryHours", Policy.ApprovalExpiryHours, 48m));
    }

    [Fact]
    public void Given_the_first_version_When_compared_Then_every_limit_is_named_without_a_before()
    {
        var first = PolicyDifferences.Between(null, Policy);

        first.Should().HaveCount(10).And.OnlyContain(d => d.Before == null);
    }

    [Fact]
    public void Given_the_same_policy_When_compared_Then_nothing_changed()
    {
        PolicyDifferences.Between(Policy, Policy with { }).Should().BeEmpty();
    }
}
