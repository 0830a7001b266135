namespace Ledger.Domain.Accounts.Paying;

/// <summary>
/// The processor declined, or the bank refused, a pending payment: recorded with its reason, nothing applied. A repeated
/// failure, or one for a payment not started here, changes nothing; a payment already settled cannot fail — money that
/// comes back after settling is a return.
/// </summary>
public sealed record FailPayment(Guid AccountId, Guid PaymentId, string ReasonCode, string Reason) : IAccountCommand
{
    public Guid AnswerId => PaymentId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => PaymentId;

    public Decision Decide(Account account, Facts facts)
    {
        if (account.PendingPayments.ContainsKey(PaymentId))
            return Decision.Accept(new PaymentFailed(AccountId, PaymentId, ReasonCode.Trim(), Reason.Trim(), facts.Now));
        return facts.Entry is { Kind: EntryKind.Payment }
            ? Decision.Reject(new Rejection("payment-settled", $"Payment {PaymentId} has settled; money that comes back after that is a return.", IsConflict: true, Reference: PaymentId))
            : Decision.Accept();
    }
}
