namespace Ledger.Domain.Accounts.Correcting;

public sealed record ReverseCorrection(Guid AccountId, Guid ReversalId, Guid CorrectionId, string Reason);

public static class ReversingCorrections
{
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
            correction.Amount, -Correcting.BalanceEffect(entry.Kind, correction.Amount), command.Reason.Trim(), now));
    }
}
