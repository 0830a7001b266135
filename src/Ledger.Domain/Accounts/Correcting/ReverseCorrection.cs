namespace Ledger.Domain.Accounts.Correcting;

/// <summary>Undo a correction of entry <paramref name="EntryId"/> (the entry it was made on; the sender looks it up).</summary>
public sealed record ReverseCorrection(Guid AccountId, Guid ReversalId, Guid CorrectionId, string Reason, Guid EntryId = default) : IAccountCommand
{
    public Guid AnswerId => ReversalId;

    public Reads ReadsFor(Approvals.Poster poster) => Reads.Entry;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts) => Decide(account, facts.Entry, this, facts.Now);

    public static Decision Decide(Account account, Entry? entry, ReverseCorrection command, DateTimeOffset now)
    {
        var correction = entry?.Corrections.FirstOrDefault(c => c.CorrectionId == command.CorrectionId);
        var rejection = Guards.AcceptsPostings(account)
            ?? (entry is null || entry.AccountId != account.Id || correction is null
                ? new Rejection("correction-not-found", $"Account {account.AccountNumber} has no correction {command.CorrectionId}.", "correctionId")
                : null)
            ?? (correction!.ReversedBy is { } reversal
                ? new Rejection("correction-already-reversed", $"Correction {command.CorrectionId} was already reversed by {reversal}.")
                : null)
            ?? Guards.Text(command.Reason, "reason", 500);
        if (rejection is not null)
            return Decision.Reject(rejection);

        return Decision.Accept(new CorrectionReversed(account.Id, command.ReversalId, correction!.CorrectionId, entry!.Id,
            correction.Amount, -CorrectEntry.BalanceEffect(entry.Kind, correction.Amount), command.Reason.Trim(), now));
    }
}
