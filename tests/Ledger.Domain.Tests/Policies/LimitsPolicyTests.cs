using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Policies;

public class LimitsPolicyTests
{
    private static readonly LimitsPolicy Policy = Limits.Default;

    [Fact]
    public void Given_the_default_policy_When_checked_Then_no_rejection()
    {
        Policy.Check().Should().BeNull();
    }

    [Fact]
    public void Given_manager_limits_equal_to_csr_limits_When_checked_Then_no_rejection()
    {
        (Policy with { Manager = Policy.Csr }).Check().Should().BeNull();
    }

    [Fact]
    public void Given_zero_limits_When_checked_Then_no_rejection()
    {
        var zero = new RoleLimits(0m, 0m, 0m, 0m);

        (Policy with { Csr = zero, Manager = zero }).Check().Should().BeNull();
    }

    public static TheoryData<string, string> Limits4 => new()
    {
        { "csr", nameof(RoleLimits.MaxSingleCredit) }, { "csr", nameof(RoleLimits.MaxSingleCorrection) },
        { "csr", nameof(RoleLimits.DailyCreditTotal) }, { "csr", nameof(RoleLimits.AccountCreditTotal30Days) },
        { "manager", nameof(RoleLimits.MaxSingleCredit) }, { "manager", nameof(RoleLimits.MaxSingleCorrection) },
        { "manager", nameof(RoleLimits.DailyCreditTotal) }, { "manager", nameof(RoleLimits.AccountCreditTotal30Days) },
    };

    private static RoleLimits With(RoleLimits limits, string limit, decimal value) => limit switch
    {
        nameof(RoleLimits.MaxSingleCredit) => limits with { MaxSingleCredit = value },
        nameof(RoleLimits.MaxSingleCorrection) => limits with { MaxSingleCorrection = value },
        nameof(RoleLimits.DailyCreditTotal) => limits with { DailyCreditTotal = value },
        _ => limits with { AccountCreditTotal30Days = value },
    };

    [Theory]
    [MemberData(nameof(Limits4))]
    public void Given_a_negative_limit_When_checked_Then_policy_negative_limit_naming_the_role(string role, string limit)
    {
        var policy = role == "csr" ? Policy with { Csr = With(Policy.Csr, limit, -0.01m) } : Policy with { Manager = With(Policy.Manager, limit, -0.01m) };

        policy.Check().Should().BeEquivalentTo(new { Rule = "policy-negative-limit", Field = role, IsConflict = false });
    }

    [Theory]
    [InlineData(nameof(RoleLimits.MaxSingleCredit))]
    [InlineData(nameof(RoleLimits.MaxSingleCorrection))]
    [InlineData(nameof(RoleLimits.DailyCreditTotal))]
    [InlineData(nameof(RoleLimits.AccountCreditTotal30Days))]
    public void Given_a_manager_limit_one_cent_below_the_csr_limit_When_checked_Then_policy_manager_below_csr(string limit)
    {
        var csrValue = limit switch
        {
            nameof(RoleLimits.MaxSingleCredit) => Policy.Csr.MaxSingleCredit,
            nameof(RoleLimits.MaxSingleCorrection) => Policy.Csr.MaxSingleCorrection,
            nameof(RoleLimits.DailyCreditTotal) => Policy.Csr.DailyCreditTotal,
            _ => Policy.Csr.AccountCreditTotal30Days,
        };

        (Policy with { Manager = With(Policy.Manager, limit, csrValue - 0.01m) }).Check()
            .Should().BeEquivalentTo(new { Rule = "policy-manager-below-csr", Field = "manager" });
    }

    [Fact]
    public void Given_missing_csr_limits_When_checked_Then_policy_incomplete()
    {
        (Policy with { Csr = null! }).Check().Should().BeEquivalentTo(new { Rule = "policy-incomplete", Field = "csr" });
    }

    [Fact]
    public void Given_missing_manager_limits_When_checked_Then_policy_incomplete()
    {
        (Policy with { Manager = null! }).Check().Should().BeEquivalentTo(new { Rule = "policy-incomplete", Field = "manager" });
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Given_a_second_approval_threshold_not_positive_When_checked_Then_rejected_on_that_field(string threshold)
    {
        (Policy with { SecondApprovalAbove = decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture) }).Check()
            .Should().BeEquivalentTo(new { Rule = "policy-negative-limit", Field = "secondApprovalAbove" });
    }

    [Fact]
    public void Given_a_second_approval_threshold_of_one_cent_When_checked_Then_no_rejection()
    {
        (Policy with { SecondApprovalAbove = 0.01m }).Check().Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(2161)]
    public void Given_an_expiry_outside_1_to_2160_hours_When_checked_Then_policy_expiry_out_of_range(int hours)
    {
        (Policy with { ApprovalExpiryHours = hours }).Check()
            .Should().BeEquivalentTo(new { Rule = "policy-expiry-out-of-range", Field = "approvalExpiryHours" });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2160)]
    public void Given_an_expiry_at_the_bounds_When_checked_Then_no_rejection(int hours)
    {
        (Policy with { ApprovalExpiryHours = hours }).Check().Should().BeNull();
    }

    [Fact]
    public void Given_the_policy_When_asked_for_a_roles_limits_Then_csr_and_manager_have_theirs_and_other_roles_none()
    {
        Policy.For("csr").Should().BeSameAs(Policy.Csr);
        Policy.For("manager").Should().BeSameAs(Policy.Manager);
        Policy.For("customer").Should().BeNull();
        Policy.For("admin").Should().BeNull();
    }
}
