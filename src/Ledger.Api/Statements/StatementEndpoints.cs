using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Domain.Statements;
using Marten;

namespace Ledger.Api.Statements;

public sealed record StatementSummary(Guid StatementId, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, decimal OpeningBalance,
    decimal ClosingBalance, decimal AmountDue, DateOnly DueDate, string Currency, int TemplateVersion, string Sha256, DateTimeOffset IssuedAt);

public sealed record StatementJson(StatementContent Content, int TemplateVersion, string Sha256, DateTimeOffset IssuedAt);

public static class StatementEndpoints
{
    public static void MapStatements(this RouteGroupBuilder accounts)
    {
        accounts.MapGet("/{accountId:guid}/statements", async (Guid accountId, HttpContext http, IQuerySession query) =>
            {
                if (await AccountAccess.VisibleAsync(query, http, accountId) is null)
                    return Problems.NotFound($"Account {accountId}");
                return Results.Ok(await StatementQueries.ListAsync(query, accountId, http.RequestAborted));
            })
            .RequireAuthorization(AccessPolicies.ReadAccounts).WithName("ListStatements").WithSummary("The account's bills, newest first.")
            .Produces<List<StatementSummary>>();

        accounts.MapGet("/{accountId:guid}/statements/{statementId:guid}", async (Guid accountId, Guid statementId, HttpContext http, IQuerySession query) =>
            {
                if (await AccountAccess.VisibleAsync(query, http, accountId) is null)
                    return Problems.NotFound($"Account {accountId}");
                var issued = (await StatementEvents.UpToIssue(query, accountId, statementId, onlyTheIssue: true, http.RequestAborted))
                    .Select(e => e.Data).OfType<StatementIssued>().FirstOrDefault(s => s.Content.StatementId == statementId);
                if (issued is null)
                    return Problems.NotFound($"Statement {statementId}");
                http.Response.Headers.ETag = $"\"{issued.DocumentSha256}\"";
                return Results.Ok(new StatementJson(issued.Content, issued.TemplateVersion, issued.DocumentSha256, issued.IssuedAt));
            })
            .RequireAuthorization(AccessPolicies.ReadAccounts).WithName("GetStatement").WithSummary("A bill's content as issued, with the SHA-256 of its document.")
            .Produces<StatementJson>();

        accounts.MapGet("/{accountId:guid}/statements/{statementId:guid}/pdf", StatementReprints.Reprint)
            .RequireAuthorization(AccessPolicies.ReadAccounts).RateLimited(RateLimitRule.Downloads).WithName("ReprintStatement").File(Answers.Pdf).Refuses(StatusCodes.Status409Conflict)
            .WithSummary("The bill exactly as issued (same bytes), after checking the stored document against the recorded hash and the recorded " +
                         "figures against the events; any mismatch is an integrity error, never a different bill. Each reprint is recorded.");
    }
}
