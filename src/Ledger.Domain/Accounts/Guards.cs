using Ledger.Domain.Money;

namespace Ledger.Domain.Accounts;

internal static class Guards
{
    public static Rejection? AcceptsPostings(Account account) =>
        account.Status == AccountStatus.Closed
            ? new Rejection("account-closed", $"Account {account.AccountNumber} is closed; nothing can be posted to it.")
            : null;

    public static Rejection? Amount(Account account, decimal amount, decimal ceiling) =>
        AmountRules.Check(amount, Currency.Of(account.Currency), ceiling);

    public static Rejection? Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
            return new Rejection("required", $"'{field}' is required.", field);
        return value.Length > maxLength
            ? new Rejection("too-long", $"'{field}' is at most {maxLength} characters.", field)
            : null;
    }
}
