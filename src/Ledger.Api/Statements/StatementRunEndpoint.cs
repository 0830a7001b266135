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

public sealed record StatementRunReport(DateTimeOffset Cutoff, int Considered, int Issued, int AlreadyBilledOrNothingToBill, IReadOnlyList<StatementRunFailure> Failed);

/// <summary>
/// Closes the period for every due account (billing day = the cut-off's day) or the listed ones. Each account is
/// its own transaction and the statement id is derived from (account, cut-off), so a rerun after a crash
/// resumes: accounts already billed for that period are skipped, never billed twice.
/// </summary>
public static class StatementRunEndpoint
{
    public static void MapStatementRuns(this WebApplication app) => app
        .MapPost("/api/statement-runs", async (StatementRunRequest body, HttpContext http, IDocumentStore store, TimeProvider clock,
            ILogger<StatementRunReport> log) =>
        {
            var now = clock.GetUtcNow();
            var cutoff = body.Cutoff ?? now;
            if (cutoff > now)
                return Problems.Rule(new Rejection("cutoff-in-future", "A statement closes a period that has ended: 'cutoff' must not be after now.", "cutoff"), 422);
            var ids = body.AccountIds?.Distinct().ToList() ?? await RunDueStatementsHandler.DueAsync(store, cutoff.UtcDateTime.Day, http.RequestAborted);
            var context = Writes.Context(http);
            int issued = 0, skipped = 0, done = 0;
            var failed = new List<StatementRunFailure>();
            await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = http.RequestAborted }, async (id, ct) =>
            {
                // A message bus carries per-conversation state: one per account, never shared across the parallel loop.
                await using var scope = http.RequestServices.CreateAsyncScope();
                var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
                var outcome = await bus.InvokeAsync<CommandOutcome>(new IssueStatement(id, cutoff, context with { IdempotencyKey = null }), ct);
                if (outcome.Kind == OutcomeKind.NotFound)
                    lock (failed) failed.Add(new StatementRunFailure(id, "account not found"));
                else if (outcome is { Kind: OutcomeKind.Applied, Issued: true })
                    Interlocked.Increment(ref issued);
                else
                    Interlocked.Increment(ref skipped);
                if (Interlocked.Increment(ref done) % 100 == 0)
                    log.LogInformation("Statement run to {Cutoff}: {Done}/{Total} accounts", cutoff, done, ids.Count);
            });
            return Results.Ok(new StatementRunReport(cutoff, ids.Count, issued, skipped, failed));
        })
        .Validated<StatementRunRequest>()
        .RequireAuthorization(AccessPolicies.Admin)
        .WithTags("Statements")
        .WithName("RunStatements").Refuses(StatusCodes.Status422UnprocessableEntity)
        .WithSummary("Issue statements up to 'cutoff' (default now) for the accounts due that day, or for 'accountIds' (admin). Idempotent per account and period.")
        .Produces<StatementRunReport>();
}
