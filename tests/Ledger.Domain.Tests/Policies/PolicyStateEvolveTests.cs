using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Policies;

public class PolicyStateEvolveTests
{
    private static readonly LimitsPolicy V1 = Limits.Default;
    private static readonly LimitsPolicy V2 = V1 with { SecondApprovalAbove = 4_000m };
    private static readonly LimitsPolicy V3 = V2 with { ApprovalExpiryHours = 48 };

    [Fact]
    public void Given_a_first_policy_Then_version_1()
    {
        Given.Policy(new PolicyChanged(null, V1, "Initial limits", At.Opened)).Should().Be(new PolicyState(V1, 1));
    }

    [Fact]
    public void Given_three_changes_Then_version_3_with_the_last_policy_in_force()
    {
        Given.Policy(
                new PolicyChanged(null, V1, "Initial limits", At.Opened),
                new PolicyChanged(V1, V2, "Audit finding", At.Earlier),
                new PolicyChanged(V2, V3, "Faster decisions", At.Now))
            .Should().Be(new PolicyState(V3, 3));
    }

    [Fact]
    public void Given_changes_one_by_one_Then_each_raises_the_version_by_one()
    {
        var v1 = PolicyState.Evolve(null, new PolicyChanged(null, V1, "Initial limits", At.Opened));
        var v2 = PolicyState.Evolve(v1, new PolicyChanged(V1, V2, "Audit finding", At.Earlier));
        var v3 = PolicyState.Evolve(v2, new PolicyChanged(V2, V3, "Faster decisions", At.Now));

        new[] { v1!.Version, v2!.Version, v3!.Version }.Should().Equal(1, 2, 3);
        new[] { v1.Current, v2.Current, v3.Current }.Should().Equal(V1, V2, V3);
    }

    [Fact]
    public void Given_a_policy_When_an_unrelated_object_is_folded_Then_the_state_is_unchanged()
    {
        var state = new PolicyState(V1, 1);

        PolicyState.Evolve(state, "not an event").Should().BeSameAs(state);
        PolicyState.Evolve(null, "not an event").Should().BeNull();
    }

    [Fact]
    public void Given_the_policy_stream_Then_its_id_is_fixed()
    {
        PolicyState.StreamId.Should().Be(Guid.Parse("5e1f0c1e-0000-4000-8000-00000000a11c"));
    }
}
