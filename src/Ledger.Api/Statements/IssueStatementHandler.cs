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

using Ledger.Api.Infrastructure.Databases;

namespace Ledger.Api.Statements;

/// <summary>Issue the bill for the period ending at <see cref="Cutoff"/>, or nothing if that period is already billed.</summary>
public sealed record IssueStatement(Guid AccountId, DateTimeOffset Cutoff, RequestContext Context);

/// <summary>
/// The bill as composed from the account's history up to the version it is written at (the write's expected version), or
/// nothing when that period is already billed (<paramref name="Content"/> null). <paramref name="IssuedAt"/> is the time the
/// document was made at (and, from template version 5, signed at): the record keeps it, so the document can be made again.
/// </summary>
public sealed record IssueBill(Guid AccountId, Guid StatementId, DateTimeOffset Cutoff, StatementContent? Content, int TemplateVersion, string? DocumentSha256,
    DateTimeOffset IssuedAt)
    : IAccountCommand
{
    public Guid AnswerId => StatementId;

    public Decision Decide(Account account, Facts facts) =>
        Cutoff > facts.Now ? Decision.Reject("cutoff-in-future", "A statement closes a period that has ended.", "cutoff")
        : Content is null ? Decision.Accept()
        : Decision.Accept(new StatementIssued(account.Id, Content, TemplateVersion, DocumentSha256!, IssuedAt));
}

public static class IssueStatementHandler
{
    /// <summary>
    /// Composes and renders outside the account's lock, then records the bill only if nothing was appended since it was
    /// composed; if something was, composes again. The PDF's bytes are kept first, under their hash: bytes no bill names are
    /// harmless, a bill without its bytes is not.
    /// </summary>
    public static async Task<CommandOutcome> Handle(IssueStatement message, IDocumentStore store, StatementRenderer renderer,
        GroupCommit writer, IOptions<LedgerOptions> options, TimeProvider clock, CancellationToken ct)
    {
        // On the account's database, whichever tenant the message came with.
        await using var query = store.QueryFor(message.AccountId);
        var statementId = Composing.StatementIdFor(message.AccountId, message.Cutoff);
        // A member of a corporate tree whose node pays for it owes nothing itself: its activity is on the node's consolidated bill.
        if (await query.LoadAsync<Account>(message.AccountId, ct) is { } member
            && await Corporate.ConsolidatedBills.PaidByParentAsync(store, message.AccountId, member.Currency, ct))
            return new CommandOutcome(OutcomeKind.Applied, message.AccountId, null, member.Version, null, null, null) { Issued = false };
        for (var attempt = 1; ; attempt++)
        {
            var history = await StatementEvents.Recorded(query, message.AccountId, 0, 0, ct);
            var template = renderer.ForNewBills(options.Value.StatementTemplateVersion);
            // The write's own "now" (the request's effective time, or the clock), taken before the document is made: every event the
            // bill is composed from was read by then, and nothing is appended before the bill (the write expects this version).
            var issuedAt = message.Context.Now(clock);
            var content = message.Cutoff > clock.GetUtcNow() ? null : Composing.Compose(history, message.Cutoff, statementId);
            string? sha = null;
            if (content is not null)
            {
                var document = renderer.Render(content, template, Composing.PendingOn(history, content), issuedAt);
                sha = StatementRenderer.Sha256(document);
                await using var session = store.SessionFor(message.AccountId);
                StatementDocuments.Keep(session, sha, document);
                await session.SaveChangesAsync(ct);
            }
            var composedAt = history.Count > 0 ? history[^1].Version : (long?)null;
            var outcome = await writer.WriteAsync(new AccountWrite(new IssueBill(message.AccountId, statementId, message.Cutoff, content, template, sha, issuedAt),
                message.Context with { ExpectedVersion = composedAt }), ct);
            if (outcome.Kind != OutcomeKind.Stale || attempt == 5)
                return outcome;
        }
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
        (await query.Events.FetchAsync(accountId, upToVersion, fromVersion, ct)).Select(e => new RecordedEvent(e.Version, e.Timestamp, e.Data)).ToList();
}
