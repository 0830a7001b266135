namespace Ledger.Domain.Accounts.Disputing;

public sealed record DisputeCharge(Guid AccountId, Guid DisputeId, Guid EntryId, string Reason) : IAccountCommand
{
    public Guid AnswerId => DisputeId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Disputing.Decide(account, facts.Entry, this, facts.Now);
}

/// <summary>Resolve dispute <paramref name="DisputeId"/> of entry <paramref name="EntryId"/> (the sender looks the entry up).</summary>
public sealed record ResolveDispute(Guid AccountId, Guid EntryId, Guid DisputeId, DisputeOutcome Outcome, string Note) : IAccountCommand
{
    public Guid AnswerId => DisputeId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Disputing.Decide(account, facts.Entry, this, facts.Now);
}

public static class Disputing
{
    public static Decision Decide(Account account, Entry? entry, DisputeCharge command, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? (entry is null || entry.AccountId != account.Id
                ? new Rejection("entry-not-found", $"Account {account.AccountNumber} has no entry {command.EntryId}.", "entryId")
                : null)
            ?? (entry!.Kind != EntryKind.Charge
                ? new Rejection("only-charges-can-be-disputed", $"Entry {entry.Id} is a {entry.Kind.ToString().ToLowerInvariant()}, not a charge.", "entryId")
                : null)
            ?? (entry.Dispute is { Status: DisputeStatus.Open } open
                ? new Rejection("charge-already-disputed", $"Charge {entry.Id} already has an open dispute ({open.DisputeId}).", "entryId")
                : null)
            ?? Guards.Text(command.Reason, "reason", 500);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new ChargeDisputed(account.Id, command.DisputeId, entry!.Id, command.Reason.Trim(), now));
    }

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
