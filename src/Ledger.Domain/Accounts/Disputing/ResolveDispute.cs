namespace Ledger.Domain.Accounts.Disputing;

/// <summary>Resolve dispute <paramref name="DisputeId"/> of entry <paramref name="EntryId"/> (the sender looks the entry up).</summary>
public sealed record ResolveDispute(Guid AccountId, Guid EntryId, Guid DisputeId, DisputeOutcome Outcome, string Note) : IAccountCommand
{
    public Guid AnswerId => DisputeId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Decide(account, facts.Entry, this, facts.Now);

    public static Decision Decide(Account account, Entry? entry, ResolveDispute command, DateTimeOffset now)
    {
        if (entry?.Dispute is not { } dispute || entry.AccountId != account.Id || dispute.DisputeId != command.DisputeId)
            return Decision.Reject("dispute-not-found", $"Account {account.AccountNumber} has no dispute {command.DisputeId}.", "disputeId");
        if (dispute.Status != DisputeStatus.Open)
            return Decision.Reject("dispute-already-resolved", $"Dispute {dispute.DisputeId} was already resolved ({dispute.Status.ToString().ToLowerInvariant()}).");
        var rejection = Guards.Text(command.Note, "note", 500);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new DisputeResolved(account.Id, dispute.DisputeId, entry.Id, command.Outcome, command.Note.Trim(), now));
    }
}
