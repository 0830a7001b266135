namespace Ledger.Domain.Collections;

/// <summary>The dunning steps, in the order they are taken on a past-due bill.</summary>
public enum CollectionStep { Reminder, LateNotice, IntentToCancel, Suspension, Cancellation }

/// <summary>
/// A dunning step was taken on the past-due bill <see cref="StatementId"/> (the oldest one not covered), under the
/// dunning policy of version <see cref="PolicyVersion"/>. Each step is taken once per bill. <see cref="LateFee"/> is the
/// fee charged with it (posted as a charge with id <see cref="LateFeeEntryId"/>), <see cref="CancellationEffectiveOn"/> the
/// date cancellation takes effect if nothing is paid (stated by the notice of intent, and kept to), and
/// <see cref="NextStepOn"/> when the next step falls due under this policy (null: this was the last).
/// </summary>
public sealed record CollectionStepRaised(
    Guid AccountId, Guid StatementId, CollectionStep Step, decimal PastDueAmount, DateOnly PastDueSince, int DaysPastDue, long PolicyVersion,
    decimal? LateFee, Guid? LateFeeEntryId, DateOnly? CancellationEffectiveOn, DateOnly? NextStepOn, DateTimeOffset TakenAt);

/// <summary>An account that dunning had reached is paid up again (<see cref="PaidUpBy"/>: what settled it): its steps stop.</summary>
public sealed record PastDueCleared(Guid AccountId, Guid StatementId, string PaidUpBy, DateTimeOffset ClearedAt);

/// <summary>
/// The account was cancelled for non-payment (the last dunning step). It still takes payments and credits; paid in full
/// by <see cref="ReinstateUntil"/> it is reinstated.
/// </summary>
public sealed record AccountCancelled(Guid AccountId, Guid StatementId, decimal AmountOwed, DateOnly ReinstateUntil, long PolicyVersion, DateTimeOffset CancelledAt);

/// <summary>An account cancelled for non-payment was paid in full within the reinstatement window: it is open again.</summary>
public sealed record AccountReinstated(Guid AccountId, decimal PaidSinceCancellation, DateTimeOffset ReinstatedAt);
