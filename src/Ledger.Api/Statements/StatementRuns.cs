using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Marten;

namespace Ledger.Api.Statements;

/// <summary>Statement runs as recorded: the latest first, and one run's progress (the portal's page reads the same).</summary>
public static class StatementRuns
{
    public const int Listed = 50;

    public static Rejection? CutoffRefusal(DateTimeOffset cutoff, DateTimeOffset now) => cutoff > now
        ? new Rejection("cutoff-in-future", "A statement closes a period that has ended: 'cutoff' must not be after now.", "cutoff")
        : null;

    public static async Task<IReadOnlyList<StatementRunRecord>> LatestAsync(IQuerySession query, CancellationToken ct) =>
        await query.Query<StatementRunRecord>().OrderByDescending(r => r.StartedAt).Take(Listed).ToListAsync(ct);

    public static IServiceCollection AddStatementRuns(this IServiceCollection services) =>
        services.ConfigureMarten(o => o.Schema.For<StatementRunRecord>().Index(r => r.StartedAt));

    public static void MapStatementRunReads(this WebApplication app)
    {
        var runs = app.MapGroup("/api/statement-runs").WithTags("Statements").RequireAuthorization(AccessPolicies.Admin);
        runs.MapGet("/", async (IQuerySession query, HttpContext http) => Results.Ok(await LatestAsync(query, http.RequestAborted)))
            .WithName("ListStatementRuns").Produces<List<StatementRunRecord>>()
            .WithSummary($"The latest {Listed} statement runs, newest first: who started each, its cut-off, and its counts (admin).");
        runs.MapGet("/{runId:guid}", async (Guid runId, IQuerySession query, HttpContext http) =>
                await query.LoadAsync<StatementRunRecord>(runId, http.RequestAborted) is { } run ? Results.Ok(run) : Problems.NotFound($"Statement run {runId}"))
            .WithName("GetStatementRun").Produces<StatementRunRecord>().Refuses(StatusCodes.Status404NotFound)
            .WithSummary("One statement run as it goes: accounts done of total, issued, skipped (already billed or nothing to bill), failures (admin).");
    }
}
