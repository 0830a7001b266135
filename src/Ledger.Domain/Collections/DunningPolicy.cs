namespace Ledger.Domain.Collections;

/// <summary>Days past due at which each step falls due; a suspension is optional (null: the policy never suspends).</summary>
public sealed record DunningSchedule(int Reminder, int LateNotice, int IntentToCancel, int? Suspension, int Cancellation)
{
    public int? DaysFor(CollectionStep step) => step switch
    {
        CollectionStep.Reminder => Reminder,
        CollectionStep.LateNotice => LateNotice,
        CollectionStep.IntentToCancel => IntentToCancel,
        CollectionStep.Suspension => Suspension,
        _ => Cancellation,
    };

    /// <summary>The steps this schedule takes, in order.</summary>
    public IEnumerable<CollectionStep> Steps() => Enum.GetValues<CollectionStep>().Where(s => DaysFor(s) is not null);

    /// <summary>The step after <paramref name="last"/> (null: none taken yet), or null when <paramref name="last"/> was the final one.</summary>
    public CollectionStep? After(CollectionStep? last) => Steps().Cast<CollectionStep?>().FirstOrDefault(s => last is null || s > last);
}

/// <summary>
/// The late fee of the late notice: <see cref="Fixed"/> plus <see cref="Percent"/> % of the past-due amount, rounded to the
/// currency's minor units, and never more than <see cref="CapPerBill"/> in all on one bill. Amounts are nominal, in the
/// account's currency (like the limits policy).
/// </summary>
public sealed record LateFee(decimal Fixed, decimal Percent, decimal CapPerBill)
{
    public decimal For(decimal pastDue, decimal alreadyCharged, int minorUnits) =>
        Math.Max(0m, Math.Min(decimal.Round(Fixed + pastDue * Percent / 100m, minorUnits, MidpointRounding.AwayFromZero), CapPerBill - alreadyCharged));
}

/// <summary>
/// What the desk may agree alone on a payment plan: a CSR up to <see cref="CsrMaxAmount"/> in at most
/// <see cref="CsrMaxInstalments"/> instalments (above that a manager approves); nobody more than <see cref="MaxInstalments"/>
/// instalments or a last one more than <see cref="MaxMonths"/> months out. An instalment not met <see cref="GraceDays"/> days
/// after its date breaks the plan.
/// </summary>
public sealed record PlanLimits(decimal CsrMaxAmount, int CsrMaxInstalments, int MaxInstalments, int MaxMonths, int GraceDays);

/// <summary>
/// How past-due bills are chased. <see cref="MinimumAmount"/>: less than this past due is not chased.
/// <see cref="MinimumDaysBetweenSteps"/>: steps never come closer together than this (after a plan breaks, the steps it held
/// back resume one by one, not all at once). <see cref="ReinstatementDays"/>: how long after a cancellation for non-payment
/// paying in full reinstates the account.
/// </summary>
public sealed record DunningPolicy(DunningSchedule DaysPastDue, LateFee LateFee, decimal MinimumAmount, int MinimumDaysBetweenSteps, int ReinstatementDays,
    PlanLimits Plans)
{
    public static readonly DunningPolicy Default =
        new(new DunningSchedule(1, 15, 30, 45, 60), new LateFee(10m, 0m, 25m), 1m, 7, 30, new PlanLimits(500m, 6, 12, 12, 5));

    public Rejection? Check()
    {
        if (DaysPastDue is null)
            return new Rejection("policy-incomplete", "'daysPastDue' is required.", "daysPastDue");
        if (LateFee is null)
            return new Rejection("policy-incomplete", "'lateFee' is required.", "lateFee");
        if (Plans is null)
            return new Rejection("policy-incomplete", "'plans' is required.", "plans");
        if (Plans.CsrMaxAmount is < 0 or > MaxAmount)
            return new Rejection("policy-amount-out-of-range", $"'plans.csrMaxAmount' is between 0 and {MaxAmount:N0}.", "plans.csrMaxAmount");
        if (Plans.MaxInstalments is < 1 or > 60 || Plans.CsrMaxInstalments < 0 || Plans.CsrMaxInstalments > Plans.MaxInstalments)
            return new Rejection("policy-instalments-out-of-range", "'plans.maxInstalments' is 1 to 60, and a CSR's at most that.", "plans.maxInstalments");
        if (Plans.MaxMonths is < 1 or > 60 || Plans.GraceDays is < 0 or > 60)
            return new Rejection("policy-plan-out-of-range", "'plans.maxMonths' is 1 to 60 and 'plans.graceDays' 0 to 60.", "plans");
        var days = DaysPastDue.Steps().Select(s => (Step: s, Days: DaysPastDue.DaysFor(s)!.Value)).ToList();
        if (days.Any(d => d.Days < 1 || d.Days > 365))
            return new Rejection("policy-step-out-of-range", "Every step falls between 1 and 365 days past due.", "daysPastDue");
        for (var i = 1; i < days.Count; i++)
            if (days[i].Days <= days[i - 1].Days)
                return new Rejection("policy-steps-out-of-order",
                    $"Steps fall due in order: '{Camel(days[i].Step)}' ({days[i].Days} days) must come after '{Camel(days[i - 1].Step)}' ({days[i - 1].Days} days).",
                    $"daysPastDue.{Camel(days[i].Step)}");
        if (LateFee.Fixed < 0 || LateFee.Percent < 0 || LateFee.CapPerBill < 0)
            return new Rejection("policy-negative-limit", "The late fee's amounts must not be negative.", "lateFee");
        if (LateFee.Fixed > MaxAmount || LateFee.CapPerBill > MaxAmount || MinimumAmount > MaxAmount)
            return new Rejection("policy-amount-out-of-range", $"The policy's amounts are at most {MaxAmount:N0}.", LateFee.Fixed > MaxAmount || LateFee.CapPerBill > MaxAmount ? "lateFee" : "minimumAmount");
        if (LateFee.Percent > 100)
            return new Rejection("policy-fee-out-of-range", "'lateFee.percent' is at most 100.", "lateFee.percent");
        if (MinimumAmount < 0)
            return new Rejection("policy-negative-limit", "'minimumAmount' must not be negative.", "minimumAmount");
        if (MinimumDaysBetweenSteps is < 0 or > 90)
            return new Rejection("policy-gap-out-of-range", "'minimumDaysBetweenSteps' is between 0 and 90.", "minimumDaysBetweenSteps");
        return ReinstatementDays is < 0 or > 365
            ? new Rejection("policy-window-out-of-range", "'reinstatementDays' is between 0 and 365.", "reinstatementDays")
            : null;
    }

    /// <summary>No fee or threshold of a billing account is anywhere near this; it keeps every sum the policy takes part in exact.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    private static string Camel(CollectionStep step) => char.ToLowerInvariant(step.ToString()[0]) + step.ToString()[1..];
}

/// <summary>Every change of the dunning policy is a fact, like the limits policy's: each step names the version it followed.</summary>
public sealed record DunningPolicyChanged(DunningPolicy? Previous, DunningPolicy Current, string Reason, DateTimeOffset ChangedAt);

public sealed record DunningPolicyState(DunningPolicy Current, long Version)
{
    public Guid Id { get; init; } = StreamId;

    /// <summary>The single stream that holds the dunning policy's history.</summary>
    public static readonly Guid StreamId = new("5e1f0c1e-0000-4000-8000-00000000d0e5");

    public static DunningPolicyState? Evolve(DunningPolicyState? state, object @event) =>
        @event is DunningPolicyChanged changed ? new DunningPolicyState(changed.Current, (state?.Version ?? 0) + 1) : state;

    public static Decision Change(DunningPolicyState? current, DunningPolicy proposed, string reason, DateTimeOffset now)
    {
        if (proposed.Check() is { } invalid)
            return Decision.Reject(invalid);
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        return current?.Current == proposed
            ? Decision.Reject("policy-unchanged", "The proposed policy is the one in force; nothing to record.")
            : Decision.Accept(new DunningPolicyChanged(current?.Current, proposed, reason.Trim(), now));
    }
}
