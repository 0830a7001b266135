namespace Ledger.Domain.Money;

/// <summary>What every posted amount must satisfy, whatever the posting.</summary>
public static class AmountRules
{
    public static Rejection? Check(decimal amount, Currency currency, decimal ceiling, string field = "amount")
    {
        if (amount <= 0m)
            return new Rejection("amount-must-be-positive", $"The amount must be greater than zero; got {amount}.", field);
        if (decimal.Round(amount, currency.MinorUnits) != amount)
            return new Rejection("amount-too-precise",
                $"{currency.Code} amounts have at most {currency.MinorUnits} digit(s) after the decimal point; got {amount}.", field);
        if (amount > ceiling)
            return new Rejection("amount-over-ceiling",
                $"The amount {amount} {currency.Code} is over the ceiling of {ceiling} {currency.Code} for a single posting.", field);
        return null;
    }
}
