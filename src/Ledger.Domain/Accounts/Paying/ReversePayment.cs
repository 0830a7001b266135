namespace Ledger.Domain.Accounts.Paying;

/// <summary>
/// Money of a settled payment went back to the payer: the card processor reports a chargeback, or the bank a returned
/// check or transfer. It is a fact from outside, recorded whatever the account's status; the same report twice (a
/// webhook retried, a bank file imported again) changes nothing. Only a settled payment can be reversed, and by no more
/// than is left of it (<see cref="Amount"/> null: all that is left). A card's money comes back only as the processor's
/// chargeback; the bank returns checks and transfers.
/// </summary>
/// <remarks>
/// A returned check or transfer may carry <see cref="Fee"/>, the returned-payment fee, charged in the same decision
/// (its entry id is derived from the reversal's, so the fee is charged once with it).
/// </remarks>
public sealed record ReversePayment(
    Guid AccountId, Guid PaymentId, Guid ReversalId, decimal? Amount, ReversalKind Kind, string Source, string Reference, string ReasonCode,
    string Reason, decimal Fee = 0m) : IAccountCommand
{
    public Guid AnswerId => ReversalId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => PaymentId;

    public Decision Decide(Account account, Facts facts)
    {
        if (account.Reversals.ContainsKey(ReversalId))
            return Decision.Accept();
        if (facts.Entry is not { Kind: EntryKind.Payment } payment)
            return Decision.Reject(account.PendingPayments.ContainsKey(PaymentId)
                ? new Rejection("payment-not-settled", $"Payment {PaymentId} has not settled; a payment that never arrived fails, it is not reversed.", "paymentId")
                : PaymentRules.Unknown(PaymentId));
        if (Kind == ReversalKind.Returned && payment.Method == PaymentMethod.Card)
            return Decision.Reject(new Rejection("card-returned-by-processor",
                "Money of a card payment comes back as the processor's chargeback, not as a bank return.", "paymentId"));
        var amount = Amount ?? payment.Remaining;
        if (amount <= 0m || amount > payment.Remaining)
            return Decision.Reject(new Rejection("reversal-exceeds-payment",
                $"Payment {PaymentId} has {payment.Remaining} {account.Currency} left to reverse; {amount} cannot be.", "amount"));
        var reversed = new PaymentReversed(AccountId, PaymentId, ReversalId, amount, Kind, Source, Reference.Trim(), ReasonCode.Trim(), Reason.Trim(),
            facts.Now);
        if (Fee <= 0m || Kind != ReversalKind.Returned)
            return Decision.Accept(reversed);
        return Guards.Amount(account, Fee, facts.Ceiling) is { } badFee
            ? Decision.Reject(badFee with { Field = "fee" })
            : Decision.Accept(reversed, new ChargePosted(AccountId, FeeEntryId(ReversalId), Fee, $"Returned payment fee ({ReasonCode.Trim()})",
                ReturnedPaymentFeeCategory, null, null, facts.Now));
    }

    public const string ReturnedPaymentFeeCategory = "fees";

    /// <summary>The fee's entry: one per returned payment, whoever reports the return and however often.</summary>
    public static Guid FeeEntryId(Guid reversalId) => DeterministicId.From($"returned-payment-fee|{reversalId}");
}

/// <summary>
/// A chargeback the merchant won: the processor gives the money back, and it counts against the balance again. Repeated
/// news changes nothing; a returned check or transfer is not reinstated (the payer pays again).
/// </summary>
public sealed record ReinstatePayment(Guid AccountId, Guid ReversalId) : IAccountCommand
{
    public Guid AnswerId => ReversalId;

    public Decision Decide(Account account, Facts facts) => account.Reversals.GetValueOrDefault(ReversalId) switch
    {
        null => Decision.Reject(new Rejection("reversal-unknown", $"No reversal {ReversalId} was recorded on this account.", "reversalId")),
        { Reinstated: true } => Decision.Accept(),
        { Kind: not ReversalKind.Chargeback } => Decision.Reject(new Rejection("reversal-not-a-chargeback",
            "Only a chargeback can be won back; a returned check or transfer is paid again.", "reversalId")),
        var reversal => Decision.Accept(new PaymentReinstated(AccountId, reversal.PaymentId, ReversalId, reversal.Amount, facts.Now)),
    };
}
