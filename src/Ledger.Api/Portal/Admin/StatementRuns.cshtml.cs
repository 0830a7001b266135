using System.Globalization;
using Ledger.Api.Access;
using Ledger.Api.Portal.Shared;
using Ledger.Api.Statements;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Ledger.Api.Portal.Admin;

/// <summary>
/// Start a statement run to a cut-off and watch it: the run is a background Wolverine message (<see cref="StartStatementRun"/>,
/// from the durable local queue) that keeps its record up to date; the page redraws its progress every second or so with a
/// little script, or reloads itself without one. Past runs below, newest first.
/// </summary>
[Authorize(Policy = AccessPolicies.Admin)]
public sealed class StatementRunsModel(IQuerySession query, IMessageBus bus, TimeProvider clock) : PortalPage
{
    public const string CutoffFormat = "yyyy-MM-ddTHH:mm";

    [FromQuery(Name = "run")] public Guid? RunId { get; set; }

    public StatementRunRecord? Run { get; private set; }
    public IReadOnlyList<StatementRunRecord> Runs { get; private set; } = [];
    public string Cutoff { get; private set; } = "";

    public bool Watching => Run is { Status: not StatementRunStatus.Finished };

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return RunId is not null && Run is null ? NotFoundPage() : Page();
    }

    /// <summary>The progress and the runs alone, for the page's script to put in place.</summary>
    public async Task<IActionResult> OnGetProgressAsync()
    {
        await LoadAsync();
        return Partial("_RunProgress", this);
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? cutoff)
    {
        var now = clock.GetUtcNow();
        var at = now;
        if (!string.IsNullOrWhiteSpace(cutoff))
        {
            if (DateTime.TryParseExact(cutoff.Trim(), [CutoffFormat, CutoffFormat + ":ss"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed))
                at = new DateTimeOffset(DateTime.SpecifyKind(parsed, DateTimeKind.Utc));
            else
                ModelState.AddModelError("cutoff", "A date and time (UTC), such as 2026-11-30T23:59.");
        }
        if (ModelState.IsValid && StatementRuns.CutoffRefusal(at, now) is { } refused)
            AddRejection(refused);
        // The form's key names the run: the same form sent twice starts it once.
        if (ModelState.IsValid && FormContext() is { IdempotencyKey: { } key } context)
        {
            var runId = Guid.Parse(key);
            await bus.InvokeAsync(new StartStatementRun(runId, at, context with { IdempotencyKey = null }), HttpContext.RequestAborted);
            Notice = $"Statement run to {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC started.";
            return LocalRedirect($"/portal/admin/statement-runs?run={runId}");
        }
        if (ModelState.IsValid)
            ModelState.AddModelError("", StatusPages.BadForm);
        await LoadAsync();
        Cutoff = cutoff ?? "";
        return Page();
    }

    private async Task LoadAsync()
    {
        Runs = await StatementRuns.LatestAsync(query, HttpContext.RequestAborted);
        if (RunId is { } id)
            Run = Runs.FirstOrDefault(r => r.Id == id) ?? await query.LoadAsync<StatementRunRecord>(id, HttpContext.RequestAborted);
    }
}
