using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Notifications;

/// <summary>An event as it was just appended: its version in the account's stream, and the event.</summary>
public sealed record AppendedEvent(long Version, object Data);

/// <summary>
/// Which notices the events just decided call for, and to whom. Pure: the account before the events, the events with
/// their stream versions; no clock, no ids drawn at random. Accounts whose owner never chose how to be told get none.
/// </summary>
public static class Noticing
{
    public static IReadOnlyList<Notice> For(Account before, IEnumerable<AppendedEvent> appended)
    {
        var notices = new List<Notice>();
        var state = before;
        foreach (var (version, data) in appended)
        {
            var after = Account.Evolve(state, data)!;
            notices.AddRange(For(state, after, version, data));
            state = after;
        }
        return notices;
    }

    private static IEnumerable<Notice> For(Account before, Account after, long version, object data)
    {
        Notice Make(NoticeKind kind, NoticeRecipient to, DateTimeOffset at, decimal? amount = null, string? reference = null, string? detail = null) =>
            new(IdFor(after.Id, version, to), kind, after.Id, after.AccountNumber, version, to, after.Currency, amount, reference, detail, at);

        switch (data)
        {
            case PaymentReceived e:
                return Recipients(after).Select(to => Make(NoticeKind.PaymentReceived, to, e.ReceivedAt, e.Amount, e.Reference, e.Method.ToString()));
            // A payment that will not arrive: the customer hears why, and that nothing was taken off what they owe.
            case PaymentFailed e when before.PendingPayments.GetValueOrDefault(e.PaymentId) is { } failed:
                return Recipients(after).Select(to => Make(NoticeKind.PaymentFailed, to, e.FailedAt, failed.Amount, failed.Reference ?? failed.ProcessorReference,
                    $"{failed.Method}: {e.Reason}"));
            case PaymentReversed e:
                return Recipients(after).Select(to => Make(NoticeKind.PaymentReversed, to, e.ReversedAt, e.Amount, e.Reference,
                    $"{(e.Kind == ReversalKind.Chargeback ? "charged back" : "returned")}: {e.Reason}"));
            // A refund is news when it left, and when it could not be made (the money is the customer's credit again).
            case RefundSettled e:
                return Recipients(after).Select(to => Make(NoticeKind.RefundSent, to, e.SettledAt, e.Amount, before.PendingRefunds.GetValueOrDefault(e.RefundId)?.Reference,
                    e.Method == RefundMethod.Card ? "to the card you paid with" : "by bank transfer"));
            case RefundFailed e when before.PendingRefunds.GetValueOrDefault(e.RefundId) is { } failedRefund:
                return Recipients(after).Select(to => Make(NoticeKind.RefundFailed, to, e.FailedAt, failedRefund.Amount, failedRefund.Reference, e.Reason));
            case CreditIssued e:
                return Recipients(after).Select(to => Make(NoticeKind.CreditApplied, to, e.IssuedAt, e.Amount, detail: e.Reason));
            // The customer hears how their own requests were decided. A request the desk raised is staff's business: its
            // notes are written for colleagues, and an approved credit reaches the customer as the credit it applies.
            case ApprovalApproved e when before.PendingApprovals.GetValueOrDefault(e.ApprovalId) is { RequestedRole: Poster.Customer } approved:
                return Recipients(after).Select(to => Make(NoticeKind.RequestApproved, to, e.ApprovedAt, approved.Amount, e.ApprovalId.ToString(),
                    $"{approved.Kind}: {approved.Reason}"));
            case ApprovalRejected e when before.PendingApprovals.GetValueOrDefault(e.ApprovalId) is { RequestedRole: Poster.Customer } rejected:
                return Recipients(after).Select(to => Make(NoticeKind.RequestRejected, to, e.RejectedAt, rejected.Amount, e.ApprovalId.ToString(), e.Reason));
            case DisputeResolved e:
                return Recipients(after).Select(to => Make(NoticeKind.DisputeResolved, to, e.ResolvedAt, null, e.DisputeId.ToString(),
                    $"{e.Outcome}: {e.Note}"));
            case StatementIssued e:
                return Recipients(after).Select(to => Make(NoticeKind.StatementIssued, to, e.IssuedAt, e.Content.AmountDue, e.Content.StatementId.ToString(),
                        $"{e.Content.PeriodStart:yyyy-MM-dd} to {e.Content.PeriodEnd:yyyy-MM-dd}")
                    with { StatementId = e.Content.StatementId, DocumentSha256 = e.DocumentSha256, DueDate = e.Content.DueDate });
            case ProfileChanged e:
                return OldAndNew(before, after).Select(to => Make(NoticeKind.AddressChanged, to, e.ChangedAt, detail: AddressLine(after)));
            case ContactPreferencesChanged e:
                return OldAndNew(before, after).Select(to => Make(NoticeKind.ContactChanged, to, e.ChangedAt,
                    detail: $"{e.Channel}{(e.Email is null ? "" : " " + e.Email)}"));
            // Only the new address itself hears of a request to use it, and only with the link to confirm it; the link is
            // made when the mail is sent, so it is stored nowhere.
            case ContactEmailVerificationRequested e:
                return [Make(NoticeKind.ConfirmEmail, new NoticeRecipient(NoticeChannel.Email, after.HolderName, e.Address, null), e.RequestedAt,
                    reference: e.VerificationId.ToString())];
            case ContactEmailVerified e:
                return OldAndNew(before, after).Select(to => Make(NoticeKind.ContactChanged, to, e.VerifiedAt,
                    detail: $"{after.Contact!.Channel} {e.Address}"));
            // Each dunning step is a notice (the cancellation's comes with the cancellation itself, which names the window).
            case CollectionStepRaised { Step: not CollectionStep.Cancellation } e:
                return Recipients(after).Select(to => Make(StepNotice(e.Step), to, e.TakenAt, e.PastDueAmount, e.StatementId.ToString(),
                        e.LateFee?.ToString(System.Globalization.CultureInfo.InvariantCulture))
                    with { DueDate = e.CancellationEffectiveOn ?? e.PastDueSince.AddDays(-1) });
            case AccountCancelled e:
                return Recipients(after).Select(to => Make(NoticeKind.CancelledForNonPayment, to, e.CancelledAt, e.AmountOwed, e.StatementId.ToString())
                    with { DueDate = e.ReinstateUntil });
            // The plan as agreed (each instalment, one per line of the detail), and a broken one: dunning resumes.
            case PaymentPlanAgreed e:
                return Recipients(after).Select(to => Make(NoticeKind.PlanAgreed, to, e.AgreedAt, e.Total, e.PlanId.ToString(),
                    string.Join("\n", e.Instalments.Select(i => $"{i.DueOn:yyyy-MM-dd} {i.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture)}"))));
            case PaymentPlanDefaulted e:
                return Recipients(after).Select(to => Make(NoticeKind.PlanBroken, to, e.DefaultedAt, e.Short, e.PlanId.ToString(), $"{e.Number}"));
            case AccountReinstated e:
                return Recipients(after).Select(to => Make(NoticeKind.Reinstated, to, e.ReinstatedAt, e.PaidSinceCancellation));
            default:
                return [];
        }
    }

    private static NoticeKind StepNotice(CollectionStep step) => step switch
    {
        CollectionStep.Reminder => NoticeKind.PaymentReminder,
        CollectionStep.LateNotice => NoticeKind.LateNotice,
        CollectionStep.IntentToCancel => NoticeKind.IntentToCancel,
        _ => NoticeKind.SuspendedForNonPayment,
    };

    /// <summary>The contacts the account has now.</summary>
    public static IReadOnlyList<NoticeRecipient> Recipients(Account account)
    {
        if (account.Contact is not { } contact)
            return [];
        var to = new List<NoticeRecipient>();
        if (contact.ByEmail)
            to.Add(new NoticeRecipient(NoticeChannel.Email, account.HolderName, contact.Email, null));
        if (contact.ByPaper)
            to.Add(new NoticeRecipient(NoticeChannel.Paper, account.HolderName, null, account.Address));
        return to;
    }

    /// <summary>A change of contact is told to the contacts after it and, where they differ, to those before it.</summary>
    private static IEnumerable<NoticeRecipient> OldAndNew(Account before, Account after)
    {
        var current = Recipients(after);
        var previous = Recipients(before).Where(old => current.All(c => c.Key != old.Key)).Select(old => old with { Previous = true });
        return current.Concat(previous);
    }

    private static string AddressLine(Account a) =>
        string.Join(", ", new[] { a.HolderName, a.Address.Line1, a.Address.Line2, $"{a.Address.PostalCode} {a.Address.City}", a.Address.Country }
            .Where(s => !string.IsNullOrWhiteSpace(s)));

    public static Guid IdFor(Guid accountId, long version, NoticeRecipient to) => DeterministicId.From($"notice|{accountId}|{version}|{to.Key}");
}
