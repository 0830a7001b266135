using Ledger.Domain.Accounts;

namespace Ledger.Domain.Collections;

/// <summary>
/// What a broker watches on an account of their book: what is past due and since when, the dunning step reached, the day the
/// notice of intent set for cancellation, the account's status, whether a plan holds dunning, and the last settled payment.
/// </summary>
public sealed record RiskState(decimal PastDueAmount, DateOnly? PastDueSince, CollectionStep? Step, DateOnly? CancellationEffectiveOn, AccountStatus Status,
    bool OnPlan, DateTimeOffset? LastPaymentAt, decimal? LastPaymentAmount)
{
    public static RiskState Of(Account account, DateOnly day)
    {
        var due = PastDue.On(account.Collections, day);
        return new RiskState(due?.Amount ?? 0m, due?.Since, due?.CurrentStep, account.Collections.CancellationEffectiveOn, account.Status,
            account.Collections.Plan is not null, account.LastPaymentAt, account.LastPaymentAmount);
    }
}

/// <summary>
/// The risk of an account in a broker's book changed (a payment settled, a step was taken, a plan was agreed or broken, the
/// account was put in the book): the risk as it now stands, for the broker's live page and the webhook and message feeds.
/// </summary>
public sealed record CancellationRiskChanged(Guid AccountId, string BrokerId, RiskState Risk, DateTimeOffset ChangedAt)
{
    /// <summary>
    /// Asked by the write path of every write to an account: the event to record after the write's own, when the account is in
    /// a book and its risk moved (or it just came into the book); null otherwise. Days past due grow by themselves and are
    /// no change: the risk says since when.
    /// </summary>
    public static CancellationRiskChanged? After(Account? before, Account after, DateTimeOffset now)
    {
        if (after.BrokerId is not { } broker)
            return null;
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        var risk = RiskState.Of(after, day);
        return before?.BrokerId == broker && RiskState.Of(before, day) == risk ? null : new CancellationRiskChanged(after.Id, broker, risk, now);
    }
}
