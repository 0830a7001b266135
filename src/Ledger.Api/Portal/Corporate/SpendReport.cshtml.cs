using Ledger.Api.Access;
using Ledger.Api.Corporate;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Corporate;

/// <summary>
/// The spend report for a range of months, as the API gives it: a chart per currency (bars per member or node and month, the
/// budget marked), the table of every figure, and the CSV. A range the API would refuse is refused here next to its field.
/// </summary>
[Authorize(Roles = Roles.CorporateAdmin)]
public sealed class SpendReportModel(IQuerySession query, TimeProvider clock) : CorporatePage
{
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "by")] public string? By { get; set; }

    public SpendReport? Report { get; private set; }
    public IReadOnlyList<SpendChart> Charts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadTreeAsync(query))
            return NotFoundPage();
        (From, To, By) = (Blank(From), Blank(To), By == "node" ? "node" : "member");
        var (months, refused) = SpendReportEndpoint.Period(From, To, clock.GetUtcNow());
        if (refused is not null || months is null)
        {
            AddRejection(refused!);
            return Page();
        }
        Report = await SpendReports.ReadAsync(query, Tree, Scope, months, HttpContext.RequestAborted);
        (From, To) = (Report.From, Report.To);
        Charts = SpendChart.For(Report, By);
        return Page();
    }

    public string CsvHref => $"/portal/corporate/spend.csv?from={Uri.EscapeDataString(Report!.From)}&to={Uri.EscapeDataString(Report.To)}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
