using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Lifecycle;
using Ledger.Domain.Collections;
using Ledger.Domain.Tests.Statements;
using static Ledger.Domain.Tests.Collections.Dunning;

namespace Ledger.Domain.Tests.Collections;

public class DunningStepsTests
{
    [Fact]
    public void Given_unpaid_bill_When_reviewed_on_its_due_date_Then_nothing_happens()
    {
        Review(Account(Billed()), Billing.DueDate).ThenEvents();
    }

    [Fact]
    public void Given_unpaid_bill_When_reviewed_a_day_past_due_Then_a_reminder_is_sent_naming_the_policy_and_the_next_step()
    {
        Review(Account(Billed()), Reminder).ThenEvents(Step(CollectionStep.Reminder, Reminder, next: LateNotice));
    }

    [Fact]
    public void Given_reminder_taken_When_reviewed_again_the_same_day_or_before_the_next_step_Then_no_step_is_taken_twice()
    {
        var reminded = WalkedTo(Reminder);

        Review(reminded, Reminder).ThenEvents();
        Review(reminded, LateNotice.AddDays(-1)).ThenEvents();
    }

    [Fact]
    public void Given_reminder_taken_When_reviewed_15_days_past_due_Then_late_notice_with_its_fee_charged()
    {
        Review(WalkedTo(Reminder), LateNotice).ThenEvents(
            Step(CollectionStep.LateNotice, LateNotice, fee: 10m, next: IntentToCancel),
            new ChargePosted(Ids.Account, LateFeeId, 10m, "Late fee: bill due 2025-04-05 not paid", ReviewCollections.LateFeeCategory, null, null,
                Dunning.On(LateNotice)));
    }

    [Fact]
    public void Given_a_percentage_fee_When_it_passes_the_cap_per_bill_Then_the_fee_is_the_cap()
    {
        var steep = Policy with { LateFee = new LateFee(5m, 50m, 25m) };

        var fee = Review(WalkedTo(Reminder), LateNotice, policy: steep).Events.OfType<CollectionStepRaised>().Single().LateFee;

        fee.Should().Be(25m, "5 + 50 % of 120 = 65, capped at 25 per bill");
        new LateFee(5m, 50m, 25m).For(120m, alreadyCharged: 20m, minorUnits: 2).Should().Be(5m, "what was charged on the bill counts toward the cap");
        new LateFee(0m, 1.5m, 100m).For(33.33m, 0m, 2).Should().Be(0.50m, "1.5 % of 33.33 is 0.49995, rounded to cents");
        new LateFee(0m, 1.5m, 100m).For(33.33m, 0m, 0).Should().Be(0m, "in a currency without minor units");
    }

    [Fact]
    public void Given_late_notice_When_intent_to_cancel_is_sent_Then_it_states_the_day_cancellation_takes_effect()
    {
        Review(WalkedTo(LateNotice), IntentToCancel).ThenEvents(
            Step(CollectionStep.IntentToCancel, IntentToCancel, cancellationOn: Cancellation, next: Suspension));
    }

    [Fact]
    public void Given_intent_sent_When_45_days_past_due_Then_the_account_is_suspended_for_non_payment()
    {
        var decision = Review(WalkedTo(IntentToCancel), Suspension);

        decision.Events.Should().HaveCount(2);
        decision.Events[0].Should().Be(Step(CollectionStep.Suspension, Suspension, next: Cancellation));
        decision.Events[1].Should().BeOfType<AccountSuspended>().Which.Reason.Should().Contain("non-payment");
        WalkedTo(Suspension).Status.Should().Be(AccountStatus.Suspended);
    }

    [Fact]
    public void Given_suspended_When_60_days_past_due_Then_cancelled_with_the_reinstatement_window()
    {
        var decision = Review(WalkedTo(Suspension), Cancellation);

        decision.Events[0].Should().Be(Step(CollectionStep.Cancellation, Cancellation));
        decision.Events[1].Should().Be(new AccountCancelled(Ids.Account, Billing.Statement, 130m, Cancellation.AddDays(30), PolicyVersion, Dunning.On(Cancellation)));
        var cancelled = WalkedTo(Cancellation);
        cancelled.Status.Should().Be(AccountStatus.Cancelled);
        Review(cancelled, Cancellation.AddDays(20)).ThenEvents();
    }

    [Fact]
    public void Given_cancelled_When_paid_in_full_within_the_window_Then_reinstated_and_after_it_not()
    {
        var paid = WalkedTo(Cancellation).Then(PaidOn(Cancellation.AddDays(3), 130m));

        Review(paid, Cancellation.AddDays(3)).ThenEvents(new AccountReinstated(Ids.Account, 130m, Dunning.On(Cancellation.AddDays(3))));
        Review(paid, Cancellation.AddDays(31)).ThenEvents();
        Review(WalkedTo(Cancellation).Then(PaidOn(Cancellation.AddDays(3), 129.99m)), Cancellation.AddDays(3)).ThenEvents();
        paid.ReviewedOn(Cancellation.AddDays(3)).Status.Should().Be(AccountStatus.Open);
    }

    [Fact]
    public void Given_suspended_for_non_payment_When_paid_up_Then_dunning_ends_and_service_is_restored()
    {
        var paid = WalkedTo(Suspension).Then(PaidOn(Suspension.AddDays(2), 120m));

        var decision = Review(paid, Suspension.AddDays(2));

        decision.Events[0].Should().Be(new PastDueCleared(Ids.Account, Billing.Statement, "nothing past due", Dunning.On(Suspension.AddDays(2))));
        decision.Events[1].Should().BeOfType<AccountReactivated>();
        Review(paid.ReviewedOn(Suspension.AddDays(2)), Cancellation).ThenEvents();
    }

    [Fact]
    public void Given_suspended_by_the_desk_When_paid_up_Then_dunning_ends_but_the_desk_suspension_stands()
    {
        var account = Account(Billed(Events.Suspended())).ReviewedOn(Reminder).Then(PaidOn(Reminder.AddDays(1), 120m));

        Review(account, Reminder.AddDays(1)).ThenEvents(new PastDueCleared(Ids.Account, Billing.Statement, "nothing past due", Dunning.On(Reminder.AddDays(1))));
    }

    [Fact]
    public void Given_nothing_ever_past_due_When_reviewed_Then_nothing_is_recorded()
    {
        Review(Account(Billed(PaidOn(Billing.DueDate, 120m))), Cancellation).ThenEvents();
    }

    [Fact]
    public void Given_past_due_under_the_minimum_When_reviewed_Then_not_chased()
    {
        Review(Account(Billed(PaidOn(Billing.DueDate, 119.50m))), Reminder).ThenEvents();
    }

    [Fact]
    public void Given_the_past_due_amount_disputed_When_reviewed_Then_reminded_but_not_chased_further()
    {
        Review(Account(Billed(Events.Disputed(Ids.Dispute, Ids.Charge))), Reminder, disputed: 120m).Events.Should().ContainSingle();
        Review(WalkedTo(Reminder), LateNotice, disputed: 120m).ThenEvents();
        Review(WalkedTo(Reminder), LateNotice, disputed: 50m).Events.Should().NotBeEmpty("only part of what is past due is disputed");
    }

    [Fact]
    public void Given_first_review_50_days_past_due_When_steps_catch_up_Then_one_at_a_time_at_least_a_week_apart()
    {
        var day50 = Billing.DueDate.AddDays(50);
        var account = Account(Billed());

        Review(account, day50).Events.OfType<CollectionStepRaised>().Single().Should()
            .Match<CollectionStepRaised>(t => t.Step == CollectionStep.Reminder && t.NextStepOn == day50.AddDays(7));
        var reminded = account.ReviewedOn(day50);
        Review(reminded, day50.AddDays(6)).ThenEvents();
        Review(reminded, day50.AddDays(7)).Events.OfType<CollectionStepRaised>().Single().Step.Should().Be(CollectionStep.LateNotice);
    }

    [Fact]
    public void Given_intent_stated_a_date_When_a_new_policy_would_cancel_sooner_Then_cancellation_waits_for_the_stated_date_and_names_the_new_version()
    {
        var quicker = Policy with { DaysPastDue = new DunningSchedule(1, 15, 30, null, 40) };
        var intent = WalkedTo(IntentToCancel);

        ReviewCollections.Decide(intent, new ReviewCollections(Ids.Account, quicker, 3, 0m), Dunning.On(Cancellation.AddDays(-1))).ThenEvents();
        var cancelled = ReviewCollections.Decide(intent, new ReviewCollections(Ids.Account, quicker, 3, 0m), Dunning.On(Cancellation));
        cancelled.Events.OfType<CollectionStepRaised>().Single().Should().Match<CollectionStepRaised>(t =>
            t.Step == CollectionStep.Cancellation && t.PolicyVersion == 3);
    }

    [Fact]
    public void Given_cancelled_When_the_desk_tries_to_charge_or_suspend_Then_refused()
    {
        var cancelled = WalkedTo(Cancellation);

        When.Charge(cancelled, new PostCharge(Ids.Account, Ids.Charge2, 5m, "Usage", "usage", null, null)).ThenRejected("account-cancelled");
        When.ChangeStatus(cancelled, new ChangeAccountStatus(Ids.Account, LifecycleAction.Suspend, "why")).ThenRejected("account-cancelled");
    }

    [Fact]
    public void Given_closed_account_When_reviewed_Then_nothing_whatever_is_owed()
    {
        Review(Account(Billed(Events.Closed())), Cancellation).ThenEvents();
    }
}
