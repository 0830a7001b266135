namespace Ledger.Domain.Accounts.Paying;

public sealed record ReceivePayment(
    Guid AccountId, Guid EntryId, decimal Amount, PaymentMethod Method, string? Reference, string? CardBrand, string? CardLast4)
    : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Decision Decide(Account account, Facts facts) =>
        Method == PaymentMethod.Cash && facts.Poster.Role == Approvals.Poster.Customer
            ? Decision.Reject(new Rejection("cash-only-at-desk", "Cash is taken at the desk; online payments are by card, check or transfer.", "method"))
            : Decide(account, this, facts.Ceiling, facts.Now);

    public static Decision Decide(Account account, ReceivePayment command, decimal ceiling, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? Guards.Amount(account, command.Amount, ceiling)
            ?? CardDetails(command)
            ?? (command.Reference is { Length: > 100 }
                ? new Rejection("too-long", "'reference' is at most 100 characters.", "reference")
                : null);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new PaymentReceived(account.Id, command.EntryId, command.Amount, command.Method,
                command.Reference?.Trim(), command.CardBrand?.Trim(), command.CardLast4, now));
    }

    private static Rejection? CardDetails(ReceivePayment command)
    {
        if (command.Method != PaymentMethod.Card)
            return command.CardBrand is null && command.CardLast4 is null
                ? null
                : new Rejection("card-details-only-for-cards", "Card brand and last four digits belong to card payments only.", "cardBrand");
        if (string.IsNullOrWhiteSpace(command.CardBrand) || command.CardBrand.Length > 30)
            return new Rejection("card-brand-required", "A card payment names the card brand (at most 30 characters).", "cardBrand");
        return command.CardLast4 is { Length: 4 } last4 && last4.All(char.IsAsciiDigit)
            ? null
            : new Rejection("card-last4-invalid", "A card payment carries exactly the last four digits of the card.", "cardLast4");
    }
}
