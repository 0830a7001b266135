using System.Text.Json;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Wolverine;

namespace Ledger.Api.Statements;

/// <summary>Records who asked for a copy (and restores the stored document when it had to be re-rendered).</summary>
public sealed record RecordReprint(Guid AccountId, Guid StatementId, string Sha256, byte[]? Restore, RequestContext Context);

/// <summary>
/// Every copy handed out is on the record, but a read never writes to the account: reprints go to the account's own
/// reprint stream (as notices go to its notification stream), so downloading a bill neither moves the version a
/// writer's If-Match depends on nor grows the account's stream. The audit trail merges the two.
/// </summary>
public static class StatementReprints
{
    public static Guid StreamIdFor(Guid accountId) => DeterministicId.From($"statement-reprints|{accountId}");

    /// <summary>The reprint itself; the portal's download link maps this same delegate, so a bill has one way out.</summary>
    internal static async Task<IResult> Reprint(Guid accountId, Guid statementId, HttpContext http, IQuerySession query, IMessageBus bus,
        StatementRenderer renderer, ILogger<RecordReprint> log)
    {
        if (await AccountAccess.VisibleAsync(query, http, accountId) is not { } account)
            return Problems.NotFound($"Account {accountId}");
        var stream = await StatementEvents.UpToIssue(query, accountId, statementId, onlyTheIssue: false, http.RequestAborted);
        var issued = stream.Select(e => e.Data).OfType<StatementIssued>().FirstOrDefault(s => s.Content.StatementId == statementId);
        if (issued is null)
            return Problems.NotFound($"Statement {statementId}");

        var recomposed = Composing.Recompose(stream, statementId);
        if (recomposed is null || Json(recomposed) != Json(issued.Content))
            return IntegrityError(log, account, statementId, "its figures and lines no longer match the events they were composed from");

        var stored = await StatementDocuments.LoadAsync(query, issued.DocumentSha256, http.RequestAborted);
        byte[] bytes;
        if (stored is not null)
            bytes = stored;
        else if (renderer.Unavailable(issued.TemplateVersion) is { } why)
            return IntegrityError(log, account, statementId, $"its document is missing and {why}");
        else // the stored copy is gone: re-render from the record (and re-sign it at its issue time)
            bytes = renderer.Render(issued.Content, issued.TemplateVersion, Composing.PendingOn(stream, issued.Content), issued.IssuedAt);
        if (StatementRenderer.Sha256(bytes) != issued.DocumentSha256)
            return IntegrityError(log, account, statementId, stored is null
                ? "re-rendering the recorded content does not reproduce the recorded document hash"
                : "the stored document does not hash to the value recorded when it was issued");

        // Recorded beside the account, in its bucket's database (with one database, the default tenant).
        await bus.InvokeForTenantAsync(query.DocumentStore.TenantFor(accountId), new RecordReprint(accountId, statementId, issued.DocumentSha256,
            stored is null ? bytes : null, Writes.Context(http)), http.RequestAborted);
        http.Response.Headers.ETag = $"\"{issued.DocumentSha256}\"";
        return Results.File(bytes, "application/pdf", $"statement-{account.AccountNumber}-{issued.Content.PeriodEnd:yyyy-MM-dd}.pdf");
    }

    private static IResult IntegrityError(ILogger log, Account account, Guid statementId, string what)
    {
        log.LogError("Integrity error: statement {StatementId} of account {AccountNumber}: {What}", statementId, account.AccountNumber, what);
        return Problems.Rule(new Rejection("statement-integrity-error",
            $"Statement {statementId} cannot be reprinted: {what}. It has been logged for investigation; no different bill is served."),
            StatusCodes.Status409Conflict);
    }

    private static string Json(StatementContent content) => JsonSerializer.Serialize(content);
}

public static class RecordReprintHandler
{
    // Concurrent downloads of one account's bills append to the same reprint stream: they queue (SideStreams), so fifty
    // readers at once never exhaust the retries.
    public static async Task Handle(RecordReprint message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (message.Restore is { } bytes)
            StatementDocuments.Keep(session, message.Sha256, bytes);
        EventMetadata.Stamp(session, message.Context);
        await SideStreams.AppendQueuedAsync(session, StatementReprints.StreamIdFor(message.AccountId),
            new StatementReprinted(message.AccountId, message.StatementId, message.Sha256, clock.GetUtcNow()), ct);
    }
}
