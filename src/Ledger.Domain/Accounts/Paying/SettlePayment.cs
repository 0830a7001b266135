namespace Ledger.Domain.Accounts.Paying;

/// <summary>
/// The processor or the bank confirms a pending payment: the balance falls and the payment becomes an entry. Confirmations
/// arrive more than once (webhooks are retried, a bank file is imported twice), so one for a payment already settled
/// changes nothing. An amount other than the one pending is not settled here: the bank import queues it for the desk.
/// Money already sent is recorded whatever the account's status. With a <see cref="ConfirmationReference"/> the
/// confirmation is on the record too (<see cref="PaymentConfirmed"/>), under the reference its <see cref="Source"/> gave it.
/// </summary>
public sealed record SettlePayment(
    Guid AccountId, Guid PaymentId, decimal Amount, string? CardBrand, string? CardLast4, string Source = "desk", string? ConfirmationReference = null)
    : IAccountCommand
{
    /// <summary>The <see cref="Source"/> of the card processor's confirmations.</summary>
    public const string ProcessorSource = "stripe";

    public Guid AnswerId => PaymentId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => PaymentId;

    public Decision Decide(Account account, Facts facts)
    {
        if (!account.PendingPayments.TryGetValue(PaymentId, out var pending))
            return facts.Entry is { Kind: EntryKind.Payment }
                ? Decision.Accept()
                : Decision.Reject(PaymentRules.Unknown(PaymentId));
        if (pending.ProcessorReference is not null && Source != ProcessorSource)
            return Decision.Reject(new Rejection("settled-by-processor",
                $"Payment {PaymentId} is a card payment at the processor; only the processor's confirmation settles it.", "paymentId"));
        if (Amount != pending.Amount)
            return Decision.Reject(new Rejection("settled-amount-differs",
                $"Payment {PaymentId} is pending for {pending.Amount} {account.Currency}; {Amount} cannot settle it.", "amount"));
        var received = new PaymentReceived(AccountId, PaymentId, pending.Amount, pending.Method, pending.Reference, CardBrand?.Trim(), CardLast4, facts.Now);
        return ConfirmationReference is { } reference
            ? Decision.Accept(new PaymentConfirmed(AccountId, PaymentId, Source, reference, facts.Now), received)
            : Decision.Accept(received);
    }
}
