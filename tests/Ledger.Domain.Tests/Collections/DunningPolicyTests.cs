using Ledger.Domain.Collections;

namespace Ledger.Domain.Tests.Collections;

public class DunningPolicyTests
{
    private static readonly DateTimeOffset Now = At.Now;

    [Fact]
    public void Given_no_policy_When_the_default_is_recorded_Then_it_is_version_1()
    {
        var decision = DunningPolicyState.Change(null, DunningPolicy.Default, "Initial", Now);

        decision.ThenEvents(new DunningPolicyChanged(null, DunningPolicy.Default, "Initial", Now));
        DunningPolicyState.Evolve(null, decision.Events[0])!.Version.Should().Be(1);
    }

    [Theory]
    [InlineData(1, 15, 15, 45, 60, "policy-steps-out-of-order", "daysPastDue.intentToCancel")]
    [InlineData(1, 15, 30, 70, 60, "policy-steps-out-of-order", "daysPastDue.cancellation")]
    [InlineData(0, 15, 30, 45, 60, "policy-step-out-of-range", "daysPastDue")]
    [InlineData(1, 15, 30, 45, 400, "policy-step-out-of-range", "daysPastDue")]
    public void Given_steps_out_of_order_or_range_When_proposed_Then_refused_naming_the_step(int reminder, int late, int intent, int suspension,
        int cancellation, string rule, string field)
    {
        var proposed = DunningPolicy.Default with { DaysPastDue = new DunningSchedule(reminder, late, intent, suspension, cancellation) };

        DunningPolicyState.Change(null, proposed, "Why", Now).ThenRejected(rule, field);
    }

    [Fact]
    public void Given_bad_amounts_or_the_same_policy_When_proposed_Then_refused()
    {
        var current = new DunningPolicyState(DunningPolicy.Default, 1);

        DunningPolicyState.Change(current, DunningPolicy.Default with { LateFee = new LateFee(-1m, 0m, 10m) }, "x", Now)
            .ThenRejected("policy-negative-limit", "lateFee");
        DunningPolicyState.Change(current, DunningPolicy.Default with { ReinstatementDays = 400 }, "x", Now)
            .ThenRejected("policy-window-out-of-range", "reinstatementDays");
        DunningPolicyState.Change(current, DunningPolicy.Default with { MinimumAmount = 5m }, " ", Now).ThenRejected("required", "reason");
        DunningPolicyState.Change(current, DunningPolicy.Default, "Same again", Now).ThenRejected("policy-unchanged");
    }

    [Fact]
    public void Given_no_suspension_step_When_a_step_is_taken_Then_the_schedule_goes_from_intent_straight_to_cancellation()
    {
        var schedule = new DunningSchedule(1, 15, 30, null, 60);

        schedule.After(CollectionStep.IntentToCancel).Should().Be(CollectionStep.Cancellation);
        schedule.After(null).Should().Be(CollectionStep.Reminder);
        schedule.After(CollectionStep.Cancellation).Should().BeNull();
    }
}
