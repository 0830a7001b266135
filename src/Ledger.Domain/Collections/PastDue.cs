namespace Ledger.Domain.Collections;

/// <summary>
/// What is past due on a day: <see cref="Amount"/> (the latest bill due before that day, less what settled since it),
/// <see cref="Since"/> (the first day after the due date of the oldest bill still not covered), how many <see cref="Days"/>
/// past that due date, the bill dunning counts from (<see cref="StatementId"/>, the oldest not covered) and the last step
/// taken on it.
/// </summary>
public sealed record PastDue(decimal Amount, DateOnly Since, int Days, Guid StatementId, DateOnly DueDate, CollectionStep? CurrentStep)
{
    public static PastDue? On(CollectionState collections, DateOnly day)
    {
        var due = collections.Bills.Where(b => b.DueDate < day).ToList();
        if (due.Count == 0)
            return null;
        var amount = due[^1].Unpaid(collections.Settled);
        if (amount <= 0)
            return null;
        var oldest = due.First(b => b.Unpaid(collections.Settled) > 0);
        return new PastDue(amount, oldest.DueDate.AddDays(1), day.DayNumber - oldest.DueDate.DayNumber, oldest.StatementId, oldest.DueDate,
            oldest.Steps.Count == 0 ? null : oldest.Steps[^1]);
    }
}
