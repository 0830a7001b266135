using Ledger.Domain.Accounts;
using Ledger.Domain.Money;

namespace Ledger.Domain.Collections;

/// <summary>
/// Looks at an account's collection state now and takes what is due: the next dunning step on its past-due bill, the end of
/// dunning once it is paid up, the reinstatement of an account cancelled for non-payment and paid in full in time. At most
/// one step per review: the next review is scheduled for when the next step falls due (<see cref="CollectionStepRaised.NextStepOn"/>).
/// <see cref="Policy"/> and <see cref="DisputedAmount"/> are read before the write, at the account's version the write then
/// expects, so the decision stays pure and sees exactly what was read.
/// </summary>
public sealed record ReviewCollections(Guid AccountId, DunningPolicy Policy, long PolicyVersion, decimal DisputedAmount) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, facts.Now);

    public static Decision Decide(Account account, ReviewCollections review, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed || account.ArchivedAt is not null)
            return Decision.Accept();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (account.Status == AccountStatus.Cancelled)
            return account.Balance <= 0 && account.Collections.ReinstateUntil is { } until && today <= until
                ? Decision.Accept(new AccountReinstated(account.Id, account.Collections.Settled - account.Collections.SettledAtCancellation, now))
                : Decision.Accept();
        // A plan's news first (instalments met, kept, or broken); then, on the account as that leaves it, dunning.
        var planned = Plan(account, today, now);
        var after = planned.Aggregate(account, (a, e) => Account.Evolve(a, e)!);
        return Decision.Accept([.. planned, .. Dunning(after, review, today, now)]);
    }

    private static List<object> Plan(Account account, DateOnly today, DateTimeOffset now)
    {
        var events = new List<object>();
        if (account.Collections.Plan is not { } plan)
            return events;
        var settled = account.Collections.Settled;
        var met = plan.MetBy(settled);
        for (var number = plan.Met + 1; number <= met; number++)
            events.Add(new PlanInstalmentCovered(account.Id, plan.PlanId, number, now));
        if (met == plan.Instalments.Count)
            events.Add(new PaymentPlanCompleted(account.Id, plan.PlanId, now));
        else if (plan.Next(settled) is { } next && next.Instalment.DueOn.AddDays(plan.GraceDays) < today)
            events.Add(new PaymentPlanDefaulted(account.Id, plan.PlanId, next.Number, next.Short, now));
        return events;
    }

    private static IEnumerable<object> Dunning(Account account, ReviewCollections review, DateOnly today, DateTimeOffset now)
    {
        var (policy, c) = (review.Policy, account.Collections);
        var due = PastDue.On(c, today);
        if (due is null || due.Amount < policy.MinimumAmount)
        {
            if (!c.Delinquent)
                return [];
            var bill = c.Bills.LastOrDefault(b => b.Steps.Count > 0)?.StatementId ?? Guid.Empty;
            return c.SuspendedForNonPayment && account.Status == AccountStatus.Suspended
                ? [new PastDueCleared(account.Id, bill, PaidUpBy(due), now), new AccountReactivated(account.Id, "Paid up: the suspension for non-payment ends.", now)]
                : [new PastDueCleared(account.Id, bill, PaidUpBy(due), now)];
        }

        // While a plan runs, dunning holds.
        if (c.Plan is not null || Upcoming(account, policy, today) is not ({ } step, var on) || on > today)
            return [];
        // A past-due amount the customer disputes is reminded of, not chased further until the dispute is decided.
        if (step > CollectionStep.Reminder && review.DisputedAmount >= due.Amount)
            return [];
        var owed = c.Bills.Single(b => b.StatementId == due.StatementId);

        var fee = step == CollectionStep.LateNotice
            ? policy.LateFee.For(due.Amount, owed.LateFees, Currency.TryFind(account.Currency, out var currency) ? currency.MinorUnits : 2)
            : 0m;
        var feeId = fee > 0 ? DeterministicId.From($"late-fee\u001f{account.Id}\u001f{owed.StatementId}") : (Guid?)null;
        var following = policy.DaysPastDue.After(step);
        var nextOn = following is { } then ? NextOn(policy, due, today, then) : (DateOnly?)null;
        var effective = step == CollectionStep.IntentToCancel ? Projected(policy, due, today, step) : null;
        var taken = new CollectionStepRaised(account.Id, owed.StatementId, step, due.Amount, due.Since, due.Days, review.PolicyVersion,
            fee > 0 ? fee : null, feeId, effective, nextOn, now);
        var events = new List<object> { taken };
        if (feeId is { } id)
            events.Add(new ChargePosted(account.Id, id, fee, $"Late fee: bill due {owed.DueDate:yyyy-MM-dd} not paid", LateFeeCategory, null, null, now));
        if (step == CollectionStep.Suspension && account.Status == AccountStatus.Open)
            events.Add(new AccountSuspended(account.Id, $"Suspended for non-payment: {due.Amount} {account.Currency} past due since {due.Since:yyyy-MM-dd}.", now));
        if (step == CollectionStep.Cancellation)
            events.Add(new AccountCancelled(account.Id, owed.StatementId, account.Balance, today.AddDays(policy.ReinstatementDays), review.PolicyVersion, now));
        return events;
    }

    /// <summary>The category of late fees' charges.</summary>
    public const string LateFeeCategory = "late-fee";

    /// <summary>
    /// The next step and the day it falls due: on the oldest past-due bill, or on the first bill still to be paid when none is
    /// past due yet. Null when nothing is owed or the last step was taken. A cancellation never comes before the day the notice
    /// of intent stated.
    /// </summary>
    public static (CollectionStep Step, DateOnly On)? Upcoming(Account account, DunningPolicy policy, DateOnly today)
    {
        var c = account.Collections;
        if (account.Status is AccountStatus.Closed or AccountStatus.Cancelled || c.Plan is not null)
            return null;
        var due = PastDue.On(c, today);
        if (due is null && c.Bills.FirstOrDefault(b => b.DueDate >= today && b.Unpaid(c.Settled) > 0) is { } coming)
            due = new PastDue(coming.Unpaid(c.Settled), coming.DueDate.AddDays(1), 0, coming.StatementId, coming.DueDate,
                coming.Steps.Count == 0 ? null : coming.Steps[^1]);
        if (due is null || policy.DaysPastDue.After(due.CurrentStep) is not { } step)
            return null;
        var on = NextOn(policy, due, c.LastStepOn, step);
        return step == CollectionStep.Cancellation && c.CancellationEffectiveOn is { } promised && promised > on ? (step, promised) : (step, on);
    }

    /// <summary>
    /// When <paramref name="step"/> falls due: its days past the bill's due date, and never sooner than the policy's minimum
    /// distance after the last step.
    /// </summary>
    public static DateOnly NextOn(DunningPolicy policy, PastDue due, DateOnly? lastStepOn, CollectionStep step)
    {
        var byDays = due.DueDate.AddDays(policy.DaysPastDue.DaysFor(step)!.Value);
        return lastStepOn is { } last && last.AddDays(policy.MinimumDaysBetweenSteps) > byDays ? last.AddDays(policy.MinimumDaysBetweenSteps) : byDays;
    }

    /// <summary>
    /// The day the account would be cancelled if nothing more is paid, under <paramref name="policy"/>: the day the notice of
    /// intent stated, else the last of the remaining steps' days. Null when nothing is past due, a plan holds dunning, or it is
    /// already cancelled.
    /// </summary>
    public static DateOnly? CancellationOn(Account account, DunningPolicy policy, DateOnly today)
    {
        if (account.Collections.CancellationEffectiveOn is { } stated && account.Status != AccountStatus.Cancelled && account.Collections.Plan is null)
            return stated;
        if (Upcoming(account, policy, today) is not ({ } step, var on) || PastDue.On(account.Collections, on) is not { } due)
            return null;
        return Projected(policy, due, on, step);
    }

    /// <summary>The day cancellation would take effect if nothing is paid, counting from <paramref name="step"/> taken on <paramref name="on"/>.</summary>
    public static DateOnly? Projected(DunningPolicy policy, PastDue due, DateOnly on, CollectionStep step)
    {
        var (day, current) = (on, step);
        while (current != CollectionStep.Cancellation)
        {
            if (policy.DaysPastDue.After(current) is not { } next)
                return null;
            day = NextOn(policy, due, day, next);
            current = next;
        }
        return day;
    }

    private static string PaidUpBy(PastDue? left) => left is null ? "nothing past due" : $"{left.Amount} past due, under the policy's minimum";
}
