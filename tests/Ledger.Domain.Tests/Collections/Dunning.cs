using Ledger.Domain.Accounts;
using Ledger.Domain.Collections;
using Ledger.Domain.Statements;
using Ledger.Domain.Tests.Statements;

namespace Ledger.Domain.Tests.Collections;

/// <summary>
/// The collections calendar: a charge of 120 in March, billed on 15 March and due on 5 April (<see cref="Billing"/>). Under
/// <see cref="Policy"/> (version <see cref="PolicyVersion"/>) the reminder falls due on 6 April (1 day past due), the late
/// notice on 20 April (15), the notice of intent on 5 May (30), the suspension on 20 May (45) and the cancellation on 4 June (60).
/// </summary>
public static class Dunning
{
    public const long PolicyVersion = 2;
    public static readonly DunningPolicy Policy = DunningPolicy.Default;

    public static readonly DateOnly Reminder = new(2025, 4, 6);
    public static readonly DateOnly LateNotice = new(2025, 4, 20);
    public static readonly DateOnly IntentToCancel = new(2025, 5, 5);
    public static readonly DateOnly Suspension = new(2025, 5, 20);
    public static readonly DateOnly Cancellation = new(2025, 6, 4);

    public static readonly Guid LateFeeId = DeterministicId.From($"late-fee\u001f{Ids.Account}\u001f{Billing.Statement}");

    /// <summary>The stream of an account with 120 billed on 15 March, and what <paramref name="after"/> adds (committed after the bill).</summary>
    public static IReadOnlyList<RecordedEvent> Billed(params object[] after)
    {
        var stream = Recorded.Stream((At.Opened, Events.Opened()), (At.Earlier, Events.Charged(Ids.Charge, 120m)))
            .Issue(Billing.Cutoff, Billing.Statement, Billing.IssuedAt);
        return after.Aggregate(stream, (s, e) => s.Then(Billing.IssuedAt.AddDays(1), e));
    }

    public static Account Account(IReadOnlyList<RecordedEvent> stream) => Given.Account([.. stream.Select(e => e.Data)]);

    /// <summary>Nine in the morning, UTC, on <paramref name="day"/>.</summary>
    public static DateTimeOffset On(DateOnly day) => new(day.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);

    public static Decision Review(Account account, DateOnly day, decimal disputed = 0m, DunningPolicy? policy = null, long version = PolicyVersion) =>
        ReviewCollections.Decide(account, new ReviewCollections(account.Id, policy ?? Policy, version, disputed), On(day));

    /// <summary>Reviews on <paramref name="day"/> and folds what it decided into the account.</summary>
    public static Account ReviewedOn(this Account account, DateOnly day, decimal disputed = 0m, DunningPolicy? policy = null) =>
        Review(account, day, disputed, policy).Events.Aggregate(account, (a, e) => Domain.Accounts.Account.Evolve(a, e)!);

    public static Account Then(this Account account, params object[] events) => events.Aggregate(account, (a, e) => Domain.Accounts.Account.Evolve(a, e)!);

    /// <summary>The account walked through every step up to and including the one on <paramref name="until"/>.</summary>
    public static Account WalkedTo(DateOnly until) =>
        new[] { Reminder, LateNotice, IntentToCancel, Suspension, Cancellation }.Where(d => d <= until)
            .Aggregate(Account(Billed()), (a, day) => a.ReviewedOn(day));

    public static PaymentReceived PaidOn(DateOnly day, decimal amount, Guid? id = null) =>
        new(Ids.Account, id ?? Ids.Payment, amount, PaymentMethod.Transfer, "TRF-1", null, null, On(day));

    public static CollectionStepRaised Step(CollectionStep step, DateOnly day, decimal pastDue = 120m, decimal? fee = null, DateOnly? cancellationOn = null,
        DateOnly? next = null) =>
        new(Ids.Account, Billing.Statement, step, pastDue, new DateOnly(2025, 4, 6), day.DayNumber - Billing.DueDate.DayNumber, PolicyVersion, fee,
            fee is null ? null : LateFeeId, cancellationOn, next, On(day));
}
