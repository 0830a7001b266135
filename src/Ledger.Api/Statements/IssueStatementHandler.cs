using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Api.Statements.Rendering;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;
using Ledger.Projections.Statements;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Statements;

/// <summary>Issue the bill for the period ending at <see cref="Cutoff"/>, or nothing if that period is already billed.</summary>
public sealed record IssueStatement(Guid AccountId, DateTimeOffset Cutoff, RequestContext Context) : IAccountMessage;

public static class IssueStatementHandler
{
    public static Task<(CommandOutcome, OutgoingMessages)> Handle(IssueStatement message, IDocumentSession session, StatementRenderer renderer,
        IOptions<LedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var statementId = Composing.StatementIdFor(message.AccountId, message.Cutoff);
        return NotifyingWrites.ApplyAsync(session, message.Context, message.AccountId, statementId, async (account, query, token) =>
            {
                if (message.Cutoff > clock.GetUtcNow())
                    return Decision.Reject("cutoff-in-future", "A statement closes a period that has ended.", "cutoff");
                var stream = await StatementEvents.Recorded(query, account.Id, 0, 0, token);
                if (Composing.Compose(stream, message.Cutoff, statementId) is not { } content)
                    return Decision.Accept();
                var template = options.Value.StatementTemplateVersion;
                var document = renderer.Render(content, template);
                var sha = StatementRenderer.Sha256(document);
                StatementDocuments.Keep(session, sha, document);
                var issued = new StatementIssued(account.Id, content, template, sha, message.Context.Now(clock));
                // AccountWrites keeps a checkpoint of the account as it stood on this bill.
                return Decision.Accept(issued);
            },
            clock, ct);
    }
}

public static class StatementEvents
{
    /// <summary>
    /// The account's events up to and including the bill's StatementIssued (or only that one event): a bill is read and
    /// recomposed from the history before it, so what came after (later postings, every earlier reprint) is never read.
    /// The listed view only says where to look; the event itself is what is served and checked.
    /// </summary>
    public static async Task<IReadOnlyList<RecordedEvent>> UpToIssue(IQuerySession query, Guid accountId, Guid statementId, bool onlyTheIssue,
        CancellationToken ct)
    {
        var listed = await query.LoadAsync<StatementView>(statementId, ct);
        return listed is { IssuedVersion: > 0 } && listed.AccountId == accountId
            ? await Recorded(query, accountId, listed.IssuedVersion, onlyTheIssue ? listed.IssuedVersion : 0, ct)
            : await Recorded(query, accountId, 0, 0, ct);
    }

    /// <summary>The account's events from <paramref name="fromVersion"/> up to <paramref name="upToVersion"/> (0: no bound).</summary>
    public static async Task<IReadOnlyList<RecordedEvent>> Recorded(IQuerySession query, Guid accountId, long upToVersion, long fromVersion,
        CancellationToken ct) =>
        (await query.Events.FetchStreamAsync(accountId, upToVersion, null, fromVersion, ct)).Select(e => new RecordedEvent(e.Version, e.Timestamp, e.Data)).ToList();
}
