using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts.Paying;

/// <summary>
/// A payment begins. Money that still has to clear — a card on the processor's page, a check, a transfer — is pending
/// until the processor or the bank confirms it (<see cref="SettlePayment"/>), so saying "I paid" moves no balance.
/// What the desk holds in its hand settles at once: cash, and a card the desk's terminal authorised (brand and last four).
/// A customer may pay what the account owes plus <see cref="PrepaymentAllowance"/> in advance, no more.
/// </summary>
public sealed record StartPayment(
    Guid AccountId, Guid PaymentId, decimal Amount, PaymentMethod Method, string? Reference, string? ProcessorReference,
    string? CardBrand, string? CardLast4, decimal PrepaymentAllowance) : IAccountCommand
{
    public Guid AnswerId => PaymentId;

    public Decision Decide(Account account, Facts facts)
    {
        var byCustomer = facts.Poster.Role == Poster.Customer;
        var rejection = Guards.AcceptsPostings(account)
            ?? Guards.Amount(account, Amount, facts.Ceiling)
            ?? PaymentRules.Reference(Reference)
            ?? (byCustomer ? CustomerRules(account) : null)
            ?? CardDetails(byCustomer);
        if (rejection is not null)
            return Decision.Reject(rejection);
        return SettlesAtOnce(facts.Poster)
            ? Decision.Accept(new PaymentReceived(AccountId, PaymentId, Amount, Method, Reference?.Trim(), CardBrand?.Trim(), CardLast4, facts.Now))
            : Decision.Accept(new PaymentInitiated(AccountId, PaymentId, Amount, Method, Reference?.Trim(), ProcessorReference, facts.Now));
    }

    /// <summary>The most a customer may pay now: what the account owes, pending payments deducted, plus the allowance.</summary>
    public static decimal MostACustomerMayPay(Account account, decimal prepaymentAllowance) =>
        Math.Max(0m, account.Balance - account.PendingPayments.Values.Sum(p => p.Amount)) + prepaymentAllowance;

    /// <summary>Whether this payment, made by <paramref name="poster"/>, is money in hand (settled now) or still has to clear.</summary>
    public bool SettlesAtOnce(Poster poster) => poster.Role != Poster.Customer && Method is PaymentMethod.Cash or PaymentMethod.Card;

    /// <summary>How many payments may wait to clear at once before a customer starts another (each card one opens a page at the processor).</summary>
    public const int MostPendingForACustomer = 10;

    private Rejection? CustomerRules(Account account)
    {
        if (Method == PaymentMethod.Cash)
            return PaymentRules.CashOnlyAtDesk;
        if (account.PendingPayments.Count >= MostPendingForACustomer)
            return new Rejection("too-many-pending-payments",
                $"{account.PendingPayments.Count} payments are still waiting to clear on this account; wait for them, or ask the desk.");
        var most = MostACustomerMayPay(account, PrepaymentAllowance);
        return Amount > most
            ? new Rejection("payment-above-amount-due",
                $"At most {most} {account.Currency} can be paid now: what the account owes after pending payments, plus {PrepaymentAllowance} in advance.",
                "amount")
            : null;
    }

    /// <summary>Only a card the desk's terminal authorised comes with its brand and last four; the processor reports them for online payments.</summary>
    private Rejection? CardDetails(bool byCustomer) =>
        Method == PaymentMethod.Card && !byCustomer ? PaymentRules.TerminalCard(CardBrand, CardLast4)
        : CardBrand is null && CardLast4 is null ? null
        : new Rejection("card-details-not-taken", "Card brand and last four digits come from the desk's terminal or the processor, not from the payer.", "cardBrand");
}
