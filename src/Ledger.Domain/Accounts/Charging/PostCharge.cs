namespace Ledger.Domain.Accounts.Charging;

public sealed record PostCharge(
    Guid AccountId, Guid EntryId, decimal Amount, string Description, string Category, DateOnly? ServiceFrom, DateOnly? ServiceTo)
    : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, facts.Ceiling, facts.Now);

    public static Decision Decide(Account account, PostCharge command, decimal ceiling, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? (account.Status == AccountStatus.Suspended
                ? new Rejection("account-suspended", $"Account {account.AccountNumber} is suspended; no charges until it is reactivated.")
                : null)
            ?? (account.Status == AccountStatus.Cancelled
                ? new Rejection("account-cancelled", $"Account {account.AccountNumber} was cancelled for non-payment; no charges unless it is reinstated.")
                : null)
            ?? Guards.Amount(account, command.Amount, ceiling)
            ?? Guards.Text(command.Description, "description", 200)
            ?? Guards.Text(command.Category, "category", 50)
            ?? (command.ServiceFrom > command.ServiceTo
                ? new Rejection("service-period-inverted", "The service period must not end before it starts.", "serviceTo")
                : null);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new ChargePosted(account.Id, command.EntryId, command.Amount, command.Description.Trim(),
                command.Category.Trim().ToLowerInvariant(), command.ServiceFrom, command.ServiceTo, now));
    }
}
