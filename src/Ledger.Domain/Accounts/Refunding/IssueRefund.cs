using Ledger.Domain.Approvals;
using Ledger.Domain.Payments;

namespace Ledger.Domain.Accounts.Refunding;

/// <summary>
/// Pays a credit balance back to the customer: to the card they paid with (<see cref="CardPaymentId"/>) or by bank
/// transfer to <see cref="DestinationAccount"/>. At most what the ledger owes them and is not already on its way back.
/// It is money leaving the ledger, so it is held to the same limits and approvals as a credit: a customer's own ask is
/// always a request; a CSR refunds within their limits; above them a manager approves, or overrides with a reason.
/// Refunds are paid even from a closed account: that is when customers ask for what is left.
/// </summary>
public sealed record IssueRefund(
    Guid AccountId, Guid RefundId, decimal Amount, string Reason, RefundMethod Method, Guid? CardPaymentId, string? DestinationAccount,
    string? OverrideReason = null, Guid ApprovalId = default) : IAccountCommand
{
    public Guid AnswerId => RefundId;

    public Reads ReadsFor(Poster poster) => Reads.Allowance;

    public Decision Decide(Account account, Facts facts)
    {
        var posting = Decide(account, this, facts.Ceiling, facts.Now);
        return posting.IsAccepted ? Authority.ForRefund(account, posting, facts.Poster, facts.Limits!, OverrideReason, ApprovalId, facts.Now) : posting;
    }

    /// <summary>The rules of a refund alone: whether this is a refund the ledger can pay at all, whoever asks.</summary>
    public static Decision Decide(Account account, IssueRefund command, decimal ceiling, DateTimeOffset now)
    {
        var destination = Ibans.Normalized(command.DestinationAccount);
        var rejection = Guards.Amount(account, command.Amount, ceiling)
            ?? Guards.Text(command.Reason, "reason", 500)
            ?? Exceeds(account, command.Amount)
            ?? (command.Method == RefundMethod.Card
                ? command.CardPaymentId is null
                    ? new Rejection("refund-card-payment-required", "A refund to a card names the card payment it goes back to.", "cardPaymentId")
                    : null
                : destination is null
                    ? new Rejection(string.IsNullOrWhiteSpace(command.DestinationAccount) ? "refund-destination-required" : "iban-invalid",
                        "A refund by bank transfer needs the IBAN it goes to (two letters, two check digits, up to 30 letters and digits, check digits valid).",
                        "destinationAccount")
                    : null);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new RefundIssued(account.Id, command.RefundId, command.Amount, command.Method,
                command.Method == RefundMethod.Card ? command.CardPaymentId : null, command.Method == RefundMethod.Transfer ? destination : null,
                BankReferences.For(command.RefundId), command.Reason.Trim(), now, null));
    }

    /// <summary>More than the ledger owes the customer, less what is already on its way back.</summary>
    public static Rejection? Exceeds(Account account, decimal amount) => amount > account.RefundableCredit
        ? new Rejection("refund-exceeds-credit-balance",
            $"At most {account.RefundableCredit} {account.Currency} can be refunded: the credit balance{(account.PendingRefunds.IsEmpty ? "" : ", less refunds already on their way")}.",
            "amount")
        : null;
}

/// <summary>
/// The processor or the bank confirms a refund left: recorded once (a webhook retried, a bank file imported twice
/// change nothing).
/// </summary>
public sealed record SettleRefund(Guid AccountId, Guid RefundId, string Source, string ConfirmationReference) : IAccountCommand
{
    public Guid AnswerId => RefundId;

    public Reads ReadsFor(Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => RefundId;

    /// <summary>The <see cref="Source"/> of the card processor's confirmations: a card refund is settled by it alone.</summary>
    public const string ProcessorSource = "stripe";

    public Decision Decide(Account account, Facts facts)
    {
        if (!account.PendingRefunds.TryGetValue(RefundId, out var pending))
            return facts.Entry is { Kind: EntryKind.Refund }
                ? Decision.Accept()
                : Decision.Reject(new Rejection("refund-unknown", $"No refund {RefundId} is on its way from this account.", "refundId"));
        if (pending.Method == RefundMethod.Card && Source != ProcessorSource)
            return Decision.Reject(new Rejection("settled-by-processor", $"Refund {RefundId} goes back to a card; only the processor confirms it.", "refundId"));
        return Decision.Accept(new RefundSettled(AccountId, RefundId, pending.Amount, pending.Method, Source, ConfirmationReference.Trim(), facts.Now));
    }
}

/// <summary>A refund did not go out: the money is the customer's credit again. Once; a refund that left cannot fail.</summary>
public sealed record FailRefund(Guid AccountId, Guid RefundId, string ReasonCode, string Reason) : IAccountCommand
{
    public Guid AnswerId => RefundId;

    public Reads ReadsFor(Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => RefundId;

    public Decision Decide(Account account, Facts facts)
    {
        if (account.PendingRefunds.ContainsKey(RefundId))
            return Decision.Accept(new RefundFailed(AccountId, RefundId, ReasonCode.Trim(), Reason.Trim(), facts.Now));
        return facts.Entry is { Kind: EntryKind.Refund }
            ? Decision.Reject(new Rejection("refund-settled", $"Refund {RefundId} left already; money that comes back is a payment.", IsConflict: true,
                Reference: RefundId))
            : Decision.Accept();
    }
}
