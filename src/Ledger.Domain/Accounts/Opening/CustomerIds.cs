using System.Text.RegularExpressions;

namespace Ledger.Domain.Accounts.Opening;

/// <summary>
/// What a customer id looks like, wherever one arrives (an account being opened, the claim in a customer's token):
/// one to 64 letters, digits, '.', '_', ':' or '-'. Blank or odd ids never reach a query, where a blank one would
/// have matched nothing and been taken for "no filter".
/// </summary>
public static partial class CustomerIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? customerId) => customerId is not null && Pattern().IsMatch(customerId);

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,64}$")]
    private static partial Regex Pattern();
}
