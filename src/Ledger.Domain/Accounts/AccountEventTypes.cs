using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Approvals;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Accounts;

/// <summary>
/// Every kind of event an account's own stream holds: what the outside world may subscribe to (webhooks, the message
/// feed). The notices and reprint records kept beside an account are in streams of their own and not among them. A
/// test holds this list to the domain's event records, so a new event cannot be forgotten here.
/// </summary>
public static class AccountEventTypes
{
    public static readonly IReadOnlyList<Type> All =
    [
        typeof(AccountOpened), typeof(ProfileChanged), typeof(AccountSuspended), typeof(AccountReactivated), typeof(AccountClosed), typeof(AccountArchived),
        typeof(ContactPreferencesChanged), typeof(ContactEmailVerificationRequested), typeof(ContactEmailVerified),
        typeof(ChargePosted), typeof(EntryCategorized), typeof(CreditIssued), typeof(EntryCorrected), typeof(CorrectionReversed),
        typeof(ChargeDisputed), typeof(DisputeResolved),
        typeof(PaymentInitiated), typeof(PaymentConfirmed), typeof(PaymentReceived), typeof(PaymentFailed), typeof(PaymentReversed),
        typeof(PaymentReinstated),
        typeof(RefundRequested), typeof(RefundIssued), typeof(RefundSettled), typeof(RefundFailed),
        typeof(ApprovalRequested), typeof(ApprovalGranted), typeof(ApprovalApproved), typeof(ApprovalRejected), typeof(ApprovalExpired),
        typeof(StatementIssued),
        typeof(Collections.CollectionStepRaised), typeof(Collections.PastDueCleared), typeof(Collections.AccountCancelled), typeof(Collections.AccountReinstated),
        typeof(Collections.LateFeeWaived), typeof(Collections.PaymentPlanAgreed), typeof(Collections.PaymentPlanRequested),
        typeof(Collections.PlanInstalmentCovered), typeof(Collections.PaymentPlanCompleted), typeof(Collections.PaymentPlanDefaulted),
        typeof(Collections.BrokerAssigned), typeof(Collections.BrokerUnassigned), typeof(Collections.CallbackRequested), typeof(Collections.CallbackCompleted),
        typeof(Collections.CancellationRiskChanged),
    ];
}
