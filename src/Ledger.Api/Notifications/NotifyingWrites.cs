using Ledger.Api.Accounts.Writing;
using Ledger.Domain.Accounts;
using Ledger.Api.Notifications.Delivering;
using Ledger.Domain.Notifications;
using Marten;
using Wolverine;

namespace Ledger.Api.Notifications;

/// <summary>
/// <see cref="AccountWrites.ApplyAsync"/> plus the notices its events call for, as cascaded Wolverine messages: they
/// go through the durable outbox in the same PostgreSQL transaction as the events, so a crash either keeps both or
/// neither. The write path itself is untouched; handlers that tell customers call this instead.
/// </summary>
public static class NotifyingWrites
{
    public static async Task<(CommandOutcome, OutgoingMessages)> ApplyAsync(
        IDocumentSession session, RequestContext context, Guid accountId, Guid? resourceId, AccountWrites.Decide decide, TimeProvider clock,
        CancellationToken ct) =>
        await WithNotices(session, decide, seen => AccountWrites.ApplyAsync(session, context, accountId, resourceId, seen, clock, ct));

    /// <summary>
    /// Runs <paramref name="write"/> with the decision, noting the account it was decided on, and returns the notices for
    /// what the write appended — for any way of writing (alone here, or <see cref="GroupCommit"/>'s shared transaction).
    /// </summary>
    public static async Task<(CommandOutcome, OutgoingMessages)> WithNotices(IDocumentSession session, AccountWrites.Decide decide,
        Func<AccountWrites.Decide, Task<CommandOutcome>> write)
    {
        Account? before = null;
        var outcome = await write((account, query, token) =>
        {
            before = account;
            return decide(account, query, token);
        });
        return (outcome, Cascade(session, before, outcome));
    }

    /// <summary>The notices for what this session is about to append to the account's stream.</summary>
    public static OutgoingMessages Cascade(IDocumentSession session, Account? before, CommandOutcome outcome)
    {
        var messages = new OutgoingMessages();
        if (before is null || outcome.Kind is not (OutcomeKind.Applied or OutcomeKind.Pending) || !outcome.Issued)
            return messages;
        var appended = session.PendingChanges.Streams().Where(s => s.Id == outcome.AccountId).SelectMany(s => s.Events).Select(e => e.Data).ToList();
        var first = outcome.Version - appended.Count + 1;
        foreach (var notice in Noticing.For(before, appended.Select((data, i) => new AppendedEvent(first + i, data))))
            messages.Add(new DeliverNotice(notice));
        return messages;
    }
}
