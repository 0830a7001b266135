namespace Ledger.Domain.Accounts.Paying;

internal static class PaymentRules
{
    public static Rejection Unknown(Guid paymentId) =>
        new("payment-unknown", $"No payment {paymentId} was started on this account.", "paymentId");
}
