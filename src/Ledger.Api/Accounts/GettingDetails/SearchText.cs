using Ledger.Domain;

namespace Ledger.Api.Accounts.GettingDetails;

/// <summary>
/// Search text: at most 100 characters and no NUL, which PostgreSQL cannot hold in text (the query would fail and
/// look like an outage). Other control characters are harmless and simply match nothing.
/// </summary>
public static class SearchText
{
    public static Rejection? Check(string? value, string field) =>
        value is { Length: > 100 } ? new Rejection("too-long", $"'{field}' is at most 100 characters.", field)
        : value?.Contains('\0') == true ? new Rejection("invalid-characters", $"'{field}' contains a NUL character.", field)
        : null;
}
