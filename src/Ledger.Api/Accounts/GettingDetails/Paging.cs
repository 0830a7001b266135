using Ledger.Domain;

namespace Ledger.Api.Accounts.GettingDetails;

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Page, int PageSize, long Total);

public static class Paging
{
    public const int MaxPageSize = 200;

    /// <summary>How deep paging reaches. Past it the offset would overflow (page=2147483647 failed in the database and looked like an outage).</summary>
    public const int MaxPage = 100_000;

    public static Rejection? Check(int? page, int? pageSize) =>
        page is < 1 or > MaxPage ? new Rejection("page-out-of-range", $"'page' is between 1 and {MaxPage}; narrow the search to go further.", "page")
        : pageSize is < 1 or > MaxPageSize
            ? new Rejection("page-size-out-of-range", $"'pageSize' is between 1 and {MaxPageSize}.", "pageSize")
            : null;
}
