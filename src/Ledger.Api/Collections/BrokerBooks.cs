using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts;
using Ledger.Domain.Collections;
using Marten;

namespace Ledger.Api.Collections;

/// <summary>
/// One account of a broker's book as its risk stands today: what is past due and for how long, the dunning step reached and
/// the next, the day cancellation would take effect if nothing more is paid, the last settled payment, the plan if one runs,
/// and the calls asked of the desk still open.
/// </summary>
public sealed record RiskLine(
    Guid AccountId, string AccountNumber, string HolderName, string Status, string Currency, decimal Balance, decimal PastDueAmount, int DaysPastDue,
    DateOnly? PastDueSince, CollectionStep? CurrentStep, CollectionStep? NextStep, DateOnly? NextStepOn, DateOnly? CancellationOn,
    DateOnly? ReinstateUntil, DateTimeOffset? LastPaymentAt, decimal? LastPaymentAmount, string? Plan, DateOnly? PlanNextDueOn, int OpenCallbacks)
{
    public static RiskLine Of(Account a, DunningPolicy policy, DateOnly today)
    {
        var due = PastDue.On(a.Collections, today);
        var next = ReviewCollections.Upcoming(a, policy, today);
        var plan = a.Collections.Plan;
        return new RiskLine(a.Id, a.AccountNumber, a.HolderName, a.Status.ToString().ToLowerInvariant(), a.Currency, a.Balance, due?.Amount ?? 0m,
            due?.Days ?? 0, due?.Since, due?.CurrentStep, next?.Step, next?.On, ReviewCollections.CancellationOn(a, policy, today),
            a.Collections.ReinstateUntil, a.LastPaymentAt, a.LastPaymentAmount,
            plan is null ? null : $"{plan.MetBy(a.Collections.Settled)} of {plan.Instalments.Count} instalments met",
            plan?.Next(a.Collections.Settled)?.Instalment.DueOn, a.OpenCallbacks.Count);
    }

    /// <summary>
    /// Most urgent first: cancelled accounts still in their reinstatement window, then by the day cancellation would take
    /// effect, then by days and amount past due; accounts with nothing past due last.
    /// </summary>
    public static readonly IComparer<RiskLine> ByUrgency = Comparer<RiskLine>.Create((x, y) =>
    {
        int Rank(RiskLine r) => r.ReinstateUntil is not null ? 0 : r.CancellationOn is not null ? 1 : r.PastDueAmount > 0 ? 2 : 3;
        var byRank = Rank(x).CompareTo(Rank(y));
        if (byRank != 0)
            return byRank;
        var byDate = Nullable.Compare(x.ReinstateUntil ?? x.CancellationOn, y.ReinstateUntil ?? y.CancellationOn);
        if (byDate != 0)
            return byDate;
        var byDays = y.DaysPastDue.CompareTo(x.DaysPastDue);
        return byDays != 0 ? byDays : y.PastDueAmount.CompareTo(x.PastDueAmount) is var byAmount and not 0
            ? byAmount : string.CompareOrdinal(x.AccountNumber, y.AccountNumber);
    });
}

public sealed record BrokerBook(string BrokerId, DateOnly Day, int Accounts, decimal PastDueTotal, IReadOnlyList<RiskLine> Lines);

public static class BrokerBooks
{
    /// <summary>A book holds what one broker serves: at most this many accounts are listed, the most urgent.</summary>
    public const int MaxLines = 1_000;

    public static async Task<BrokerBook> ReadAsync(IQuerySession query, string brokerId, TimeProvider clock, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var policy = (await CollectionReviews.PolicyAsync(query.DocumentStore, ct)).Current;
        var lines = new List<RiskLine>();
        foreach (var database in await query.DocumentStore.QueryEveryDatabaseAsync())
            await using (database)
                lines.AddRange((await database.Query<Account>().Where(a => a.BrokerId == brokerId).ToListAsync(ct)).Select(a => RiskLine.Of(a, policy, today)));
        lines.Sort(RiskLine.ByUrgency);
        return new BrokerBook(brokerId, today, lines.Count, lines.Sum(l => l.PastDueAmount), lines.Take(MaxLines).ToList());
    }
}
