using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Api.Statements;
using Ledger.Projections.Auditing;
using Marten;

namespace Ledger.Api.Auditing;

/// <summary>The audit trail as the API and the portal's history page show it.</summary>
public static class AuditQueries
{
    /// <summary>
    /// Every event of one account, in order, as the audit trail shows it: the account's own and, merged by sequence, those
    /// of the streams that live apart so that they never move the account's versions: its notices (sent, queued,
    /// failed attempts) and the copies of its bills handed out.
    /// </summary>
    public static async Task<List<AuditEntry>> AccountTrailAsync(IQuerySession query, Guid accountId, CancellationToken ct)
    {
        var events = await query.Events.FetchAsync(accountId, ct: ct);
        var notices = await query.Events.FetchAsync(NotificationStream.IdFor(accountId), ct: ct);
        var reprints = await query.Events.FetchAsync(StatementReprints.StreamIdFor(accountId), ct: ct);
        return events.Concat(notices).Concat(reprints).OrderBy(e => e.Sequence).Select(AuditEntry.From).ToList();
    }
}
