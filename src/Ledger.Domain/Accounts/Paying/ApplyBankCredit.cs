namespace Ledger.Domain.Accounts.Paying;

/// <summary>
/// Money the bank's statement shows arrived for this account: it settles the pending check or transfer it was matched
/// to, or, matched by the account number alone or assigned by the desk, it is a payment of its own. A credit for
/// another amount than the one pending settles as what arrived: the pending payment fails ("arrived for another
/// amount") and the money is a payment of its own under <see cref="OwnPaymentId"/>, with the pending one's method and
/// the creditor reference quoted for it. The same line applied again changes nothing. Money in another currency than the account's is not
/// applied (the desk sends it back), and new money is not taken onto a closed account.
/// </summary>
/// <param name="PaymentId">The pending payment the line was matched or assigned to, if any.</param>
/// <param name="OwnPaymentId">The id the line's money takes as a payment of its own; derived from the bank line.</param>
/// <param name="BankReference">The bank's reference of the line, recorded with the confirmation.</param>
public sealed record ApplyBankCredit(
    Guid AccountId, Guid? PaymentId, Guid OwnPaymentId, decimal Amount, string Currency, PaymentMethod Method, string? Reference, string BankReference)
    : IAccountCommand
{
    public const string Source = "bank";
    public const string ArrivedForAnotherAmount = "arrived-for-another-amount";

    public Guid AnswerId => PaymentId ?? OwnPaymentId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => OwnPaymentId;

    public Decision Decide(Account account, Facts facts)
    {
        if (facts.Entry is { Kind: EntryKind.Payment })
            return Decision.Accept(); // this line's money is on the account already
        if (!string.Equals(Currency, account.Currency, StringComparison.Ordinal))
            return Decision.Reject(new Rejection("currency-differs",
                $"The bank credited {Amount} {Currency}; account {account.AccountNumber} is kept in {account.Currency}.", "currency"));
        if (Guards.Amount(account, Amount, facts.Ceiling) is { } badAmount)
            return Decision.Reject(badAmount);
        PendingPayment? pending = null;
        if (PaymentId is { } paymentId && !account.PendingPayments.TryGetValue(paymentId, out pending))
            return Decision.Reject(new Rejection("payment-not-pending",
                $"Payment {paymentId} is not waiting for the bank on this account (settled, failed, or never started).", "paymentId", IsConflict: true));
        if (pending is not null && pending.ProcessorReference is not null)
            return Decision.Reject(new Rejection("settled-by-processor",
                $"Payment {PaymentId} is a card payment at the processor; the bank's statement does not settle it.", "paymentId"));

        if (pending is not null && pending.Amount == Amount)
            return Decision.Accept(
                new PaymentConfirmed(AccountId, PaymentId!.Value, Source, BankReference, facts.Now),
                new PaymentReceived(AccountId, PaymentId.Value, Amount, pending.Method, pending.Reference, null, null, facts.Now));
        if (pending is null && Guards.AcceptsPostings(account) is { } closed)
            return Decision.Reject(closed);

        var events = new List<object>();
        if (pending is not null)
            events.Add(new PaymentFailed(AccountId, PaymentId!.Value, ArrivedForAnotherAmount,
                $"The bank's statement shows {Amount} {Currency} under {BankReference}, not the {pending.Amount} expected; it is recorded as its own payment.",
                facts.Now));
        events.Add(new PaymentConfirmed(AccountId, OwnPaymentId, Source, BankReference, facts.Now));
        // Money that arrived for another amount keeps the reference the payer quoted for the payment it replaces, so that
        // the bank's return of it, which quotes that reference again, finds it.
        var reference = pending is null ? Truncated(Reference) : Payments.BankReferences.For(PaymentId!.Value);
        events.Add(new PaymentReceived(AccountId, OwnPaymentId, Amount, pending?.Method ?? Method, reference, null, null, facts.Now));
        return Decision.Accept([.. events]);
    }

    private static string? Truncated(string? reference) =>
        string.IsNullOrWhiteSpace(reference) ? null : reference.Trim()[..Math.Min(reference.Trim().Length, 100)];
}
