using Ledger.Domain.Accounts;

namespace Ledger.Domain.Approvals;

/// <summary>
/// Approve (<paramref name="Approve"/> true, with an optional note; the credit or correction applied as
/// <paramref name="AppliedId"/>) or reject (with a reason) request <paramref name="ApprovalId"/>. It runs on the account's
/// stream, so two deciders are serialized and the second sees it decided.
/// </summary>
public sealed record DecideApproval(Guid AccountId, Guid ApprovalId, bool Approve, string? Text, Guid AppliedId) : IAccountCommand
{
    public Guid AnswerId => Approve ? AppliedId : ApprovalId;

    // Only a CSR granting a customer's credit draws on an allowance (see DecidingApprovals.Approve).
    public Reads ReadsFor(Poster poster) => Approve && poster.Role == Poster.Csr ? Reads.Allowance | Reads.Entry : Reads.Limits | Reads.Entry;

    public Guid? EntryToRead(Account account) => Approve ? account.PendingApprovals.GetValueOrDefault(ApprovalId)?.EntryId : null;

    public Decision Decide(Account account, Facts facts) => Approve
        ? DecidingApprovals.Approve(account, facts.Entry, ApprovalId, facts.Poster, facts.Limits!, Text, AppliedId, facts.Now)
        : DecidingApprovals.Reject(account, ApprovalId, facts.Poster, facts.Limits!.Policy, Text ?? "", facts.Now);
}
