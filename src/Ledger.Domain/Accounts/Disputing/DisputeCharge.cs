namespace Ledger.Domain.Accounts.Disputing;

public sealed record DisputeCharge(Guid AccountId, Guid DisputeId, Guid EntryId, string Reason) : IAccountCommand
{
    public Guid AnswerId => DisputeId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Decide(account, facts.Entry, this, facts.Now);

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
}
