using Ledger.Projections.Statements;
using Marten;

namespace Ledger.Api.Statements;

/// <summary>An account's bills as listed, for the API and the portal's pages alike.</summary>
public static class StatementQueries
{
    /// <summary>The account's bills, newest first (the caller has checked the account is visible).</summary>
    public static async Task<List<StatementSummary>> ListAsync(IQuerySession query, Guid accountId, CancellationToken ct)
    {
        var views = await query.Query<StatementView>().Where(s => s.AccountId == accountId).OrderByDescending(s => s.IssuedAt).ToListAsync(ct);
        return views.Select(v => new StatementSummary(v.Id, v.Content.PeriodStart, v.Content.PeriodEnd, v.Content.OpeningBalance,
            v.Content.ClosingBalance, v.Content.AmountDue, v.Content.DueDate, v.Content.Currency, v.TemplateVersion, v.DocumentSha256, v.IssuedAt)).ToList();
    }
}
