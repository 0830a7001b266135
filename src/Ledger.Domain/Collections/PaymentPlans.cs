using System.Collections.Immutable;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Collections;

/// <summary>One instalment of a payment plan: how much, by which day.</summary>
public sealed record PlanInstalment(DateOnly DueOn, decimal Amount);

/// <summary>
/// A payment plan was agreed for <see cref="Total"/> past due: settled payments and credits from now on meet its instalments in
/// order; while it runs, dunning holds. An instalment not met <see cref="GraceDays"/> days after its date breaks it.
/// </summary>
public sealed record PaymentPlanAgreed(
    Guid AccountId, Guid PlanId, IReadOnlyList<PlanInstalment> Instalments, decimal Total, int GraceDays, long PolicyVersion, DateTimeOffset AgreedAt,
    Authorization? Authorization);

/// <summary>A plan above the desk's limits, waiting for a manager: its instalments, recorded beside the request.</summary>
public sealed record PaymentPlanRequested(Guid AccountId, Guid ApprovalId, Guid PlanId, IReadOnlyList<PlanInstalment> Instalments, int GraceDays,
    long PolicyVersion, DateTimeOffset RequestedAt);

/// <summary>Instalment <see cref="Number"/> (from 1) of the plan is met by what settled since the plan was agreed.</summary>
public sealed record PlanInstalmentCovered(Guid AccountId, Guid PlanId, int Number, DateTimeOffset CoveredAt);

/// <summary>Every instalment is met: the plan is kept, and what it covered is paid.</summary>
public sealed record PaymentPlanCompleted(Guid AccountId, Guid PlanId, DateTimeOffset CompletedAt);

/// <summary>Instalment <see cref="Number"/> was not met by its date and the grace after it: the plan is broken and dunning resumes.</summary>
public sealed record PaymentPlanDefaulted(Guid AccountId, Guid PlanId, int Number, decimal Short, DateTimeOffset DefaultedAt);

/// <summary>The plan running on an account: its instalments, the settled total when it was agreed, and how many are met.</summary>
public sealed record RunningPlan(Guid PlanId, ImmutableList<PlanInstalment> Instalments, int GraceDays, decimal SettledAtAgreement, int Met,
    DateTimeOffset AgreedAt)
{
    public decimal Total => Instalments.Sum(i => i.Amount);

    /// <summary>What has been paid toward the plan so far.</summary>
    public decimal Paid(decimal settled) => Math.Max(0m, settled - SettledAtAgreement);

    /// <summary>How many instalments what was paid meets, in order.</summary>
    public int MetBy(decimal settled)
    {
        var (paid, due, met) = (Paid(settled), 0m, 0);
        foreach (var instalment in Instalments)
        {
            due += instalment.Amount;
            if (paid < due)
                break;
            met++;
        }
        return met;
    }

    /// <summary>The next instalment not met (null: all are), with what is still short of it.</summary>
    public (int Number, PlanInstalment Instalment, decimal Short)? Next(decimal settled)
    {
        var met = MetBy(settled);
        if (met == Instalments.Count)
            return null;
        var dueSoFar = Instalments.Take(met + 1).Sum(i => i.Amount);
        return (met + 1, Instalments[met], dueSoFar - Paid(settled));
    }
}
