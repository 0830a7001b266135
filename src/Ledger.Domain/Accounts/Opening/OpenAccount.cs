namespace Ledger.Domain.Accounts.Opening;

public sealed record OpenAccount(Guid AccountId, string CustomerId, string HolderName, string Currency, int BillingDay, Address Address)
    : IOpensAccount
{
    // Day 29-31 do not exist in every month; billing on them would drift. Real billers cap at 28.
    public const int LastBillingDay = 28;

    public Guid AnswerId => AccountId;

    public Decision Open(Facts facts) => Decide(this, facts.Now);

    public static Decision Decide(OpenAccount command, DateTimeOffset now)
    {
        if (!Money.Currency.TryFind(command.Currency, out _))
            return Decision.Reject("unknown-currency", $"'{command.Currency}' is not an ISO 4217 currency code.", "currency");
        if (command.BillingDay is < 1 or > LastBillingDay)
            return Decision.Reject("billing-day-out-of-range", $"The billing day must be between 1 and {LastBillingDay}.", "billingDay");

        return Decision.Accept(new AccountOpened(
            command.AccountId, AccountNumbers.For(command.AccountId), command.CustomerId, command.HolderName.Trim(),
            command.Currency, command.BillingDay, command.Address, now));
    }
}
