namespace Ledger.Domain.Accounts.Paying;

public sealed record ReceivePayment(
    Guid AccountId, Guid EntryId, decimal Amount, PaymentMethod Method, string? Reference, string? CardBrand, string? CardLast4)
    : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Decision Decide(Account account, Facts facts) =>
        Method == PaymentMethod.Cash && facts.Poster.Role == Approvals.Poster.Customer
            ? Decision.Reject(PaymentRules.CashOnlyAtDesk)
            : Decide(account, this, facts.Ceiling, facts.Now);

    public static Decision Decide(Account account, ReceivePayment command, decimal ceiling, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? Guards.Amount(account, command.Amount, ceiling)
            ?? CardDetails(command)
            ?? PaymentRules.Reference(command.Reference);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new PaymentReceived(account.Id, command.EntryId, command.Amount, command.Method,
                command.Reference?.Trim(), command.CardBrand?.Trim(), command.CardLast4, now));
    }

    private static Rejection? CardDetails(ReceivePayment command) =>
        command.Method == PaymentMethod.Card ? PaymentRules.TerminalCard(command.CardBrand, command.CardLast4)
        : command.CardBrand is null && command.CardLast4 is null ? null
        : new Rejection("card-details-only-for-cards", "Card brand and last four digits belong to card payments only.", "cardBrand");
}
