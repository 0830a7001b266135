using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Marten;
using Wolverine;

namespace Ledger.Api.Statements;

public sealed record StatementRunRequest(DateTimeOffset? Cutoff, IReadOnlyList<Guid>? AccountIds);

public sealed class StatementRunValidator : AbstractValidator<StatementRunRequest>
{
    public StatementRunValidator() => RuleFor(r => r.AccountIds).Must(ids => ids is null || ids.Count <= 10_000)
        .WithMessage("At most 10,000 accounts per on-demand run.");
}

public sealed record StatementRunFailure(Guid AccountId, string Reason);

public sealed record StatementRunReport(Guid RunId, DateTimeOffset Cutoff, int Considered, int Issued, int AlreadyBilledOrNothingToBill,
    IReadOnlyList<StatementRunFailure> Failed);

/// <summary>
/// Closes the period for every due account (billing day = the cut-off's day) or the listed ones. Each account is
/// its own transaction and the statement id is derived from (account, cut-off), so a rerun after a crash
/// resumes: accounts already billed for that period are skipped, never billed twice. The run is recorded
/// (GET /api/statement-runs) and answered when done; the portal starts the same run in the background instead.
/// </summary>
public static class StatementRunEndpoint
{
    public static void MapStatementRuns(this WebApplication app)
    {
        app.MapPost("/api/statement-runs", async (StatementRunRequest body, HttpContext http, IDocumentStore store, TimeProvider clock,
            IServiceScopeFactory scopes, ILogger<StatementRunReport> log) =>
        {
            var now = clock.GetUtcNow();
            var cutoff = body.Cutoff ?? now;
            if (StatementRuns.CutoffRefusal(cutoff, now) is { } refused)
                return Problems.Rule(refused, 422);
            var ids = body.AccountIds?.Distinct().ToList() ?? await RunDueStatementsHandler.DueAsync(store, cutoff.UtcDateTime.Day, http.RequestAborted);
            var context = Writes.Context(http);
            var record = new StatementRunRecord { Id = Guid.CreateVersion7(), Cutoff = cutoff, StartedBy = context.Actor.UserId, StartedAt = now };
            var run = await StatementRunner.RunAsync(scopes, clock, store, record, ids, context, log, http.RequestAborted);
            return Results.Ok(new StatementRunReport(run.Id, cutoff, run.Total, run.Issued, run.Skipped, run.Failures));
        })
        .Validated<StatementRunRequest>()
        .RequireAuthorization(AccessPolicies.Admin)
        .WithTags("Statements")
        .WithName("RunStatements").Refuses(StatusCodes.Status422UnprocessableEntity)
        .WithSummary("Issue statements up to 'cutoff' (default now) for the accounts due that day, or for 'accountIds' (admin), and answer when done; " +
                     "the run is recorded with its progress. Idempotent per account and period.")
        .Produces<StatementRunReport>();
        app.MapStatementRunReads();
    }
}
