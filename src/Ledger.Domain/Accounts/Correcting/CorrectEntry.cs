using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts.Correcting;

/// <summary>A correction; over the poster's limits it becomes request <paramref name="ApprovalId"/>, a manager's override carries a reason.</summary>
public sealed record CorrectEntry(
    Guid AccountId, Guid CorrectionId, Guid EntryId, decimal Amount, string Reason, string? OverrideReason = null, Guid ApprovalId = default)
    : IAccountCommand
{
    public Guid AnswerId => CorrectionId;

    public Reads ReadsFor(Poster poster) => Reads.Entry | Reads.Limits;

    public Guid? EntryToRead(Account account) => EntryId;

    public Decision Decide(Account account, Facts facts)
    {
        var posting = Decide(account, facts.Entry, this, facts.Ceiling, facts.Now);
        return posting.IsAccepted ? Authority.ForCorrection(account, posting, facts.Poster, facts.Limits!, OverrideReason, ApprovalId, facts.Now) : posting;
    }

    /// <summary>The posting rules alone: whether this is a valid correction of the entry at all, whoever posts it.</summary>
    public static Decision Decide(Account account, Entry? entry, CorrectEntry command, decimal ceiling, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? (entry is null || entry.AccountId != account.Id
                ? new Rejection("entry-not-found", $"Account {account.AccountNumber} has no entry {command.EntryId}.", "entryId")
                : null)
            ?? (entry!.Kind == EntryKind.Refund
                ? new Rejection("refund-not-correctable", "A refund is money that left; it is not corrected. A refund that did not arrive fails.", "entryId")
                : null)
            ?? Guards.Amount(account, command.Amount, ceiling)
            ?? Guards.Text(command.Reason, "reason", 500);
        if (rejection is not null)
            return Decision.Reject(rejection);

        if (command.Amount > entry!.Remaining)
            return Decision.Reject("correction-exceeds-remaining",
                $"Entry {entry.Id} has {entry.Remaining} {account.Currency} left to correct; {command.Amount} is more than that.", "amount");

        return Decision.Accept(new EntryCorrected(account.Id, command.CorrectionId, entry.Id, entry.Kind, command.Amount,
            BalanceEffect(entry.Kind, command.Amount), command.Reason.Trim(), now));
    }

    /// <summary>
    /// Correcting a charge takes it (partly) back, so the customer owes less; correcting a payment or a
    /// credit (a bounced check, a credit given in error) means the customer owes more again.
    /// </summary>
    public static decimal BalanceEffect(EntryKind kind, decimal amount) => kind == EntryKind.Charge ? -amount : amount;
}
