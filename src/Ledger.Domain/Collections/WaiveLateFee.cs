using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Approvals;

namespace Ledger.Domain.Collections;

/// <summary>
/// A late fee was forgiven by the credit <see cref="CreditEntryId"/> (recorded just before, or applied by an approval).
/// A fee not yet billed is forgiven as if it had never been charged: the credit does not pay toward the bills already issued.
/// </summary>
public sealed record LateFeeWaived(Guid AccountId, Guid FeeEntryId, Guid CreditEntryId, decimal Amount, DateTimeOffset WaivedAt);

/// <summary>
/// Forgive a late fee: a credit of the fee's amount, judged by the poster's credit limits like any credit — within them it is
/// applied at once and drawn from their daily allowance; above them (and always for a customer) it is a request for approval
/// naming the fee, and the approval applies it. Each fee is waived once.
/// </summary>
public sealed record WaiveLateFee(Guid AccountId, Guid FeeEntryId, string Reason, Guid CreditEntryId, string? OverrideReason = null,
    Guid ApprovalId = default) : IAccountCommand
{
    public const string ReasonCode = "late-fee-waiver";

    public Guid AnswerId => CreditEntryId;

    public Reads ReadsFor(Poster poster) => Reads.Allowance;

    public Decision Decide(Account account, Facts facts)
    {
        if (!account.Collections.LateFees.TryGetValue(FeeEntryId, out var fee))
            return Decision.Reject("late-fee-not-found", $"Entry {FeeEntryId} is not a late fee of account {account.AccountNumber}.", "feeEntryId");
        if (fee.Waived)
            return Decision.Reject(new Rejection("late-fee-already-waived", $"The late fee {FeeEntryId} was already waived.", IsConflict: true,
                Reference: FeeEntryId));
        if (account.PendingApprovals.Values.FirstOrDefault(p => p.ReasonCode == ReasonCode && p.EntryId == FeeEntryId) is { } asked)
            return Decision.Reject(new Rejection("late-fee-waiver-pending", $"A waiver of this fee waits for approval ({asked.ApprovalId}).", IsConflict: true,
                Reference: asked.ApprovalId));
        if (Guards.Text(Reason, "reason", 400) is { } badReason)
            return Decision.Reject(badReason);
        var posting = IssueCredit.Decide(account, new IssueCredit(AccountId, CreditEntryId, fee.Amount, ReasonCode, $"Late fee waived: {Reason.Trim()}"),
            facts.Ceiling, facts.Now);
        var decided = Authority.ForCredit(account, posting, facts.Poster, facts.Limits!, OverrideReason, ApprovalId, facts.Now);
        var events = decided.Events switch
        {
            [CreditIssued credit] => [credit, new LateFeeWaived(account.Id, FeeEntryId, credit.EntryId, credit.Amount, facts.Now)],
            [ApprovalRequested request] => [request with { EntryId = FeeEntryId }],
            _ => decided.Events.ToArray(),
        };
        if (!decided.IsAccepted)
            return decided;
        var waived = Decision.Accept(events);
        return decided.AllowanceUsed is { } used ? waived.Drawing(used) : waived;
    }
}
