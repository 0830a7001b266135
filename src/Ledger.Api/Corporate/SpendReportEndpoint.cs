using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Corporate;
using Marten;

namespace Ledger.Api.Corporate;

public static class SpendReportEndpoint
{
    /// <summary>A report spans at most this many months: two years side by side.</summary>
    public const int MaxMonths = 24;

    public static void MapCorporateSpend(this RouteGroupBuilder corporates) =>
        corporates.MapGet("/{corporateId}/spend", (string corporateId, string? from, string? to, string? format, HttpContext http, IQuerySession query,
                TimeProvider clock) => AnswerAsync(http, query, clock, corporateId, from, to, format))
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("GetCorporateSpend").File(Answers.Csv, json: typeof(SpendReport))
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
            .WithSummary("What the members under what the caller administers spent from 'from' to 'to' (yyyy-MM; the last 12 months by default, " +
                         "at most 24): per month, node (everything under it, with its path), member account and category, with the budgets that " +
                         "apply and the percentage used; totals per currency (never added across currencies). ?format=csv for one table of it all.");

    /// <summary>The report as the API answers it, and as the portal's download does for a signed-in corporate admin.</summary>
    public static async Task<IResult> AnswerAsync(HttpContext http, IQuerySession query, TimeProvider clock, string corporateId, string? from, string? to,
        string? format)
    {
        if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
            return Problems.NotFound("The corporate customer");
        var (months, refused) = Period(from, to, clock.GetUtcNow());
        if (refused is not null || months is null)
            return Problems.Rule(refused!, StatusCodes.Status400BadRequest);
        if (format is not (null or "csv" or "json"))
            return Problems.Rule(new Rejection("format-unknown", "'format' is json (the default) or csv.", "format"), StatusCodes.Status400BadRequest);
        if (await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted) is not { } tree
            || (reach.Scope is { } node && !tree.Nodes.ContainsKey(node)))
            return Problems.NotFound("The corporate customer");
        var report = await SpendReports.ReadAsync(query, tree, reach.Scope, months, http.RequestAborted);
        return format == "csv"
            ? CsvFiles.File(SpendReports.Rows(report), $"corporate-{corporateId}-spend-{report.From}-{report.To}.csv")
            : Results.Ok(report);
    }

    /// <summary>
    /// The months asked for: 'to' this month and 'from' eleven months before 'to' when not given. A range refused names 'from'
    /// (only a 'from' given, or both, can make one).
    /// </summary>
    public static (IReadOnlyList<string>? Months, Rejection? Refused) Period(string? from, string? to, DateTimeOffset now)
    {
        if (from is not null && !Months.Valid(from))
            return (null, new Rejection("month-invalid", "'from' is a month written yyyy-MM.", "from"));
        if (to is not null && !Months.Valid(to))
            return (null, new Rejection("month-invalid", "'to' is a month written yyyy-MM.", "to"));
        var last = to ?? Months.Of(now);
        var first = from ?? Months.Add(last, -(12 - 1));
        return Months.Count(first, last) switch
        {
            < 1 => (null, new Rejection("range-inverted", "'from' must not be after 'to'.", "from")),
            > MaxMonths => (null, new Rejection("range-too-long", $"A report covers at most {MaxMonths} months.", "from")),
            _ => (Months.Span(first, last), null),
        };
    }
}
