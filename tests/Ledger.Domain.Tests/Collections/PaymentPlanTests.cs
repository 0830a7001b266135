using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Ledger.Domain.Tests.Statements;
using static Ledger.Domain.Tests.Collections.Dunning;

namespace Ledger.Domain.Tests.Collections;

/// <summary>Plans for the 120 past due on the reminder's day (6 April) of <see cref="Dunning"/>'s bill.</summary>
public class PaymentPlanTests
{
    private static readonly Guid Plan = Guid.Parse("9a000000-0000-0000-0000-000000000001");
    private static readonly DateOnly Day = Reminder;

    private static readonly PlanInstalment[] ThreeOf40 =
        [new(new DateOnly(2025, 4, 15), 40m), new(new DateOnly(2025, 5, 15), 40m), new(new DateOnly(2025, 6, 15), 40m)];

    private static Decision Agree(Account account, Poster poster, IReadOnlyList<PlanInstalment> instalments, DateOnly? on = null) =>
        new AgreePaymentPlan(Ids.Account, Plan, instalments, Policy, PolicyVersion, Ids.Approval)
            .Decide(account, new Facts(Dunning.On(on ?? Day), poster, When.Ceiling) { Limits = Limits.InForce() });

    private static Account Reminded => WalkedTo(Reminder);
    private static Account Planned => Reminded.Then([.. Agree(Reminded, Posters.Csr, ThreeOf40).Events]);

    [Fact]
    public void Given_120_past_due_When_a_csr_agrees_three_instalments_of_40_Then_the_plan_is_agreed_within_their_limits()
    {
        Agree(Reminded, Posters.Csr, ThreeOf40).ThenEventsByMembers(new PaymentPlanAgreed(Ids.Account, Plan, ThreeOf40, 120m, 5, PolicyVersion,
            Dunning.On(Day), new Authorization(Limits.Version, "csr.within-limits")));
    }

    [Fact]
    public void Given_past_due_When_the_instalments_do_not_add_up_fall_in_the_past_or_out_of_order_Then_refused_naming_the_field()
    {
        Agree(Reminded, Posters.Csr, [new(new DateOnly(2025, 4, 15), 40m), new(new DateOnly(2025, 5, 15), 40m)])
            .ThenRejected("instalments-do-not-add-up", "instalments");
        Agree(Reminded, Posters.Csr, [new(new DateOnly(2025, 4, 1), 60m), new(new DateOnly(2025, 5, 15), 60m)])
            .ThenRejected("instalment-in-past", "instalments[0].dueOn");
        Agree(Reminded, Posters.Csr, [new(new DateOnly(2025, 5, 15), 60m), new(new DateOnly(2025, 5, 15), 60m)])
            .ThenRejected("instalments-out-of-order", "instalments[1].dueOn");
        Agree(Reminded, Posters.Csr, [new(new DateOnly(2025, 5, 15), 60.001m), new(new DateOnly(2025, 6, 15), 59.999m)])
            .ThenRejected("instalment-amount-invalid", "instalments[0].amount");
        Agree(Reminded, Posters.Csr, [new(new DateOnly(2026, 6, 15), 120m)]).ThenRejected("plan-too-long", "instalments[0].dueOn");
        Agree(Account(Billed()), Posters.Csr, ThreeOf40, on: Billing.DueDate).ThenRejected("nothing-past-due");
    }

    [Fact]
    public void Given_a_plan_running_When_another_is_proposed_Then_conflict()
    {
        Agree(Planned, Posters.Manager, ThreeOf40).ThenConflict("plan-exists", Plan);
    }

    [Fact]
    public void Given_more_instalments_than_a_csr_may_agree_When_proposed_Then_a_manager_approves_it_and_the_approval_agrees_it()
    {
        var seven = Enumerable.Range(0, 6).Select(i => new PlanInstalment(new DateOnly(2025, 4 + i, 20), 17m))
            .Append(new PlanInstalment(new DateOnly(2025, 10, 20), 18m)).ToArray();

        var asked = Agree(Reminded, Posters.Csr, seven);

        asked.Events.Select(e => e.GetType()).Should().Equal(typeof(ApprovalRequested), typeof(PaymentPlanRequested));
        ((ApprovalRequested)asked.Events[0]).ExceededLimit.Should().Be(AgreePaymentPlan.CsrPlanLimit);
        var approved = DecidingApprovals.Approve(Reminded.Then([.. asked.Events]), null, Ids.Approval, Posters.Manager, Limits.InForce(), "Fair",
            Ids.Applied, Dunning.On(Day.AddDays(1)));
        approved.Events.OfType<PaymentPlanAgreed>().Single().Should().Match<PaymentPlanAgreed>(p => p.PlanId == Plan && p.Total == 120m
            && p.Instalments.Count == 7 && p.Authorization!.ApprovedBy!.Single() == Posters.Manager.UserId);
        Agree(Reminded, Posters.Manager, seven).Events.Should().ContainSingle().Which.Should().BeOfType<PaymentPlanAgreed>("a manager agrees it alone");
    }

    [Fact]
    public void Given_a_plan_When_dunning_steps_fall_due_Then_they_hold()
    {
        var keeping = Planned.Then(PaidOn(new DateOnly(2025, 4, 14), 40m)).ReviewedOn(new DateOnly(2025, 4, 14));

        Review(keeping, LateNotice).ThenEvents();
        Review(keeping, IntentToCancel).ThenEvents();
    }

    [Fact]
    public void Given_a_plan_When_instalments_are_paid_Then_each_is_met_and_the_last_completes_it_and_ends_dunning()
    {
        var first = Planned.Then(PaidOn(new DateOnly(2025, 4, 14), 40m));
        Review(first, new DateOnly(2025, 4, 14)).ThenEvents(new PlanInstalmentCovered(Ids.Account, Plan, 1, Dunning.On(new DateOnly(2025, 4, 14))));

        var all = first.ReviewedOn(new DateOnly(2025, 4, 14)).Then(PaidOn(new DateOnly(2025, 5, 10), 80m, Ids.Payment2));
        var day = new DateOnly(2025, 5, 10);
        Review(all, day).ThenEvents(new PlanInstalmentCovered(Ids.Account, Plan, 2, Dunning.On(day)), new PlanInstalmentCovered(Ids.Account, Plan, 3, Dunning.On(day)),
            new PaymentPlanCompleted(Ids.Account, Plan, Dunning.On(day)), new PastDueCleared(Ids.Account, Billing.Statement, "nothing past due", Dunning.On(day)));
    }

    [Fact]
    public void Given_an_instalment_missed_When_the_grace_passes_Then_the_plan_is_broken_and_dunning_resumes_with_the_next_step()
    {
        var short15 = Planned.Then(PaidOn(new DateOnly(2025, 4, 14), 25m));

        Review(short15, new DateOnly(2025, 4, 20)).Events.Should().BeEmpty("within the 5 days' grace after 15 April");
        var broken = Review(short15, new DateOnly(2025, 4, 21));

        broken.Events[0].Should().Be(new PaymentPlanDefaulted(Ids.Account, Plan, 1, 15m, Dunning.On(new DateOnly(2025, 4, 21))));
        broken.Events[1].Should().BeOfType<CollectionStepRaised>().Which.Step.Should().Be(CollectionStep.LateNotice);
    }
}
