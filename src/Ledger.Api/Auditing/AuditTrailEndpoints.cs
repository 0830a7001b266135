using System.Globalization;
using CsvHelper;
using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Projections.Auditing;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Marten.Pagination;

namespace Ledger.Api.Auditing;

public static class AuditTrailEndpoints
{
    public static void MapAuditTrail(this WebApplication app)
    {
        // Per account, read from the event store itself: complete and current to the last commit.
        app.MapGet("/api/accounts/{accountId:guid}/history", async (Guid accountId, string? format, HttpContext http, IQuerySession query) =>
            {
                var account = await query.LoadAsync<Account>(accountId, http.RequestAborted);
                if (account is null)
                    return Problems.NotFound($"Account {accountId}");
                var trail = await AuditQueries.AccountTrailAsync(query, accountId, http.RequestAborted);
                return format == "csv" ? Csv(trail, $"account-{account.AccountNumber}-history.csv") : Results.Ok(trail);
            })
            .RequireAuthorization(AccessPolicies.Audit)
            .WithTags("Audit")
            .WithName("GetAccountHistory").File(Answers.Csv, json: typeof(List<AuditEntry>))
            .WithSummary("Every event of the account in order, with actor, role, channel, time, reason, limit, policy version, " +
                         "approvers and correlation id. ?format=csv for a spreadsheet.")
            .Produces<List<AuditEntry>>();

        // Per actor, across accounts: the async audit log (see /health/ready for its lag).
        app.MapGet("/api/audit", async (string? actor, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, string? format,
                HttpContext http, IQuerySession primary, ReplicaReads replicas) =>
            {
                if (string.IsNullOrWhiteSpace(actor) || actor.Length > 200)
                    return Problems.Rule(new Rejection("required", "'actor' names the user whose actions to list.", "actor"), 400);
                if (Paging.Check(page, pageSize) is { } bad)
                    return Problems.Rule(bad, 400);
                if (from > to)
                    return Problems.Rule(new Rejection("range-inverted", "'from' must not be after 'to'.", "from"), 400);
                IQueryable<AuditEntry> Filtered(IQuerySession session)
                {
                    var entries = session.Query<AuditEntry>().Where(e => e.Actor == actor);
                    if (from is { } f) entries = entries.Where(e => e.Timestamp >= f);
                    if (to is { } t) entries = entries.Where(e => e.Timestamp <= t);
                    return entries;
                }
                // In the order recorded: by sequence in one database; across several (each its own sequence), by time.
                var store = primary.DocumentStore;
                IOrderedQueryable<AuditEntry> Sorted(IQueryable<AuditEntry> entries) =>
                    store.IsSharded() ? entries.OrderBy(e => e.Timestamp).ThenBy(e => e.Sequence) : entries.OrderBy(e => e.Sequence);
                // The audit log is an async projection, behind the last commit anyway: a read replica may serve it.
                var (items, total) = await replicas.LaggingAsync(primary, query => store.PageEveryDatabaseAsync(query, Filtered, Sorted, InTimeOrder,
                    format == "csv" ? 1 : page ?? 1, format == "csv" ? CsvRows : pageSize ?? 100, http.RequestAborted), http.RequestAborted);
                if (format == "csv")
                    return Csv(items.ToList(), $"audit-{actor}.csv");
                return Results.Ok(new PagedResult<AuditEntry>(items, page ?? 1, pageSize ?? 100, total));
            })
            .RequireAuthorization(AccessPolicies.Audit)
            .WithTags("Audit")
            .WithName("GetActorAudit").File(Answers.Csv, json: typeof(PagedResult<AuditEntry>))
            .WithSummary("Everything one user did in a period, across accounts (?format=csv to export).")
            .Produces<PagedResult<AuditEntry>>();
    }

    private const int CsvRows = 100_000;

    private static readonly IComparer<AuditEntry> InTimeOrder = Comparer<AuditEntry>.Create((x, y) =>
        x.Timestamp.CompareTo(y.Timestamp) is var byTime and not 0 ? byTime : x.Sequence.CompareTo(y.Sequence));

    private static readonly string[] Columns =
    [
        "sequence", "streamId", "version", "type", "timestamp", "actor", "role", "channel", "correlationId", "reason", "amount", "limit",
        "policyVersion", "overrideReason", "requestedBy", "approvedBy", "data",
    ];

    /// <summary>Text cells are escaped against spreadsheet formula injection: reasons are free text typed by users.</summary>
    private static IResult Csv(IEnumerable<AuditEntry> trail, string fileName)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, true);
        csv.WriteRecord(Columns);
        foreach (var e in trail)
            csv.WriteRecord(
            [
                e.Sequence.ToString(CultureInfo.InvariantCulture), e.StreamId.ToString(), e.Version.ToString(CultureInfo.InvariantCulture), e.Type,
                e.Timestamp.ToString("O", CultureInfo.InvariantCulture), e.Actor ?? "", e.Role ?? "", e.Channel ?? "", e.CorrelationId ?? "",
                e.Reason ?? "", e.Amount?.ToString(CultureInfo.InvariantCulture) ?? "", e.Limit ?? "",
                e.PolicyVersion?.ToString(CultureInfo.InvariantCulture) ?? "", e.OverrideReason ?? "", e.RequestedBy ?? "",
                e.ApprovedBy is null ? "" : string.Join(' ', e.ApprovedBy), e.Data,
            ]);
        csv.Flush();
        return Results.File(System.Text.Encoding.UTF8.GetBytes(text.ToString()), "text/csv", fileName);
    }
}
