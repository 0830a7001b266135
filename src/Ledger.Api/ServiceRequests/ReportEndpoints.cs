using System.Globalization;
using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.ServiceRequests;
using Marten;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// Requests closed in one month, of one type, worked by one team: how many kept the promise, how many broke it, how many
/// were escalated (and how often), how long they took in working hours, and what customers said.
/// </summary>
public sealed record TurnaroundRow(string Month, string Type, string Team, int Closed, int Resolved, int Rejected, int Met, int Breached,
    decimal MetPercent, int Escalated, int Escalations, decimal MedianWorkingHours, decimal MaxWorkingHours, int Ratings, decimal? AverageRating);

/// <summary>
/// Requests open now, by team and type: how many, how many wait for the customer, are escalated or overdue, and how old
/// they are (days since submission).
/// </summary>
public sealed record OpenRequestsRow(string Team, string Type, int Open, int WaitingForCustomer, int Escalated, int Overdue, int UpToOneDay,
    int OneToThreeDays, int ThreeToSevenDays, int SevenToFourteenDays, int OverFourteenDays, DateTimeOffset? OldestSubmittedAt);

public static class ReportEndpoints
{
    public static void MapRequestReports(this WebApplication app)
    {
        var reports = app.MapGroup("/api/service-request-reports").WithTags("Service requests");
        reports.MapGet("/turnaround", async (DateOnly? from, DateOnly? to, string? type, string? team, string? format, HttpContext http,
                IQuerySession query, TimeProvider clock) =>
            {
                var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
                var (start, end) = (from ?? new DateOnly(today.Year, today.Month, 1).AddMonths(-11), to ?? today);
                if (Range(start, end, blame: from is null && to is not null ? "to" : "from") is { } bad)
                    return Problems.Rule(bad, 400);
                if (format is not (null or "csv" or "json"))
                    return Problems.Rule(new Rejection("format-unknown", "'format' is json (the default) or csv.", "format"), 400);
                var (after, before) = (new DateTimeOffset(start.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
                    new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
                var closed = query.Query<ServiceRequest>().Where(r => (r.Status == RequestStatus.Resolved || r.Status == RequestStatus.Rejected)
                                                                      && r.ClosedAt >= after && r.ClosedAt < before);
                if (type is not null)
                    closed = closed.Where(r => r.TypeCode == type);
                if (team is not null)
                    closed = closed.Where(r => r.Team == team);
                var rows = Turnaround(await closed.ToListAsync(http.RequestAborted));
                return format == "csv" ? CsvFiles.File(rows, $"service-requests-turnaround-{start:yyyy-MM-dd}-{end:yyyy-MM-dd}.csv") : Results.Ok(rows);
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestReports)
            .WithName("GetServiceRequestTurnaroundReport").File(Answers.Csv, json: typeof(List<TurnaroundRow>))
            .Refuses(StatusCodes.Status400BadRequest)
            .WithSummary("Turnaround met or breached per month, type and team, for requests closed from 'from' to 'to' (the last 12 months by " +
                         "default, at most 366 days): escalations, working hours taken, and customers' ratings. ?format=csv for a spreadsheet.");

        reports.MapGet("/open", async (string? format, HttpContext http, IQuerySession query, TimeProvider clock) =>
            {
                if (format is not (null or "csv" or "json"))
                    return Problems.Rule(new Rejection("format-unknown", "'format' is json (the default) or csv.", "format"), 400);
                var open = await query.Query<ServiceRequest>().Where(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.InReview
                                                                          || r.Status == RequestStatus.WaitingForCustomer).ToListAsync(http.RequestAborted);
                var rows = Open(open, clock.GetUtcNow());
                return format == "csv" ? CsvFiles.File(rows, "service-requests-open.csv") : Results.Ok(rows);
            })
            .RequireAuthorization(AccessPolicies.ServiceRequestReports)
            .WithName("GetOpenServiceRequestsReport").File(Answers.Csv, json: typeof(List<OpenRequestsRow>))
            .Refuses(StatusCodes.Status400BadRequest)
            .WithSummary("Open requests now by team and type: waiting for the customer, escalated, overdue, and by age since submission. ?format=csv.");
    }

    /// <summary><paramref name="blame"/>: the end of the range the caller chose (the other is the default), else 'from'.</summary>
    private static Rejection? Range(DateOnly from, DateOnly to, string blame) =>
        from > to ? new Rejection("range-inverted", "'from' must not be after 'to'.", blame)
        : to.DayNumber - from.DayNumber > 366 ? new Rejection("range-too-long", "A report covers at most 366 days.", blame)
        : null;

    public static List<TurnaroundRow> Turnaround(IReadOnlyList<ServiceRequest> closed) =>
        closed.GroupBy(r => (Month: r.ClosedAt!.Value.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture), r.TypeCode, r.Team))
            .OrderBy(g => g.Key.Month, StringComparer.Ordinal).ThenBy(g => g.Key.TypeCode, StringComparer.Ordinal).ThenBy(g => g.Key.Team, StringComparer.Ordinal)
            .Select(g =>
            {
                var hours = g.Select(r => (decimal)(r.Clock?.Used.TotalHours ?? 0)).Order().ToList();
                var met = g.Count(r => r.WithinTurnaround == true);
                var ratings = g.Where(r => r.Rating is not null).Select(r => r.Rating!.Value).ToList();
                return new TurnaroundRow(g.Key.Month, g.Key.TypeCode, g.Key.Team, g.Count(), g.Count(r => r.Status == RequestStatus.Resolved),
                    g.Count(r => r.Status == RequestStatus.Rejected), met, g.Count() - met, decimal.Round(100m * met / g.Count(), 1),
                    g.Count(r => r.Level > 0), g.Sum(r => r.Level), decimal.Round(Median(hours), 2), decimal.Round(hours[^1], 2), ratings.Count,
                    ratings.Count == 0 ? null : decimal.Round((decimal)ratings.Average(), 2));
            }).ToList();

    public static List<OpenRequestsRow> Open(IReadOnlyList<ServiceRequest> open, DateTimeOffset now) =>
        open.GroupBy(r => (r.Team, r.TypeCode)).OrderBy(g => g.Key.Team, StringComparer.Ordinal).ThenBy(g => g.Key.TypeCode, StringComparer.Ordinal)
            .Select(g =>
            {
                double Days(ServiceRequest r) => (now - (r.SubmittedAt ?? r.CreatedAt)).TotalDays;
                return new OpenRequestsRow(g.Key.Team, g.Key.TypeCode, g.Count(), g.Count(r => r.Status == RequestStatus.WaitingForCustomer),
                    g.Count(r => r.Level > 0), g.Count(r => r.DueAt < now), g.Count(r => Days(r) <= 1), g.Count(r => Days(r) is > 1 and <= 3),
                    g.Count(r => Days(r) is > 3 and <= 7), g.Count(r => Days(r) is > 7 and <= 14), g.Count(r => Days(r) > 14),
                    g.Min(r => r.SubmittedAt));
            }).ToList();

    private static decimal Median(IReadOnlyList<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2m;
}
