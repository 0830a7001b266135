using Ledger.Domain.Accounts;

namespace Ledger.Domain.Approvals;

/// <summary>Scheduled when a request is recorded: records the lapse if nobody decided it in time.</summary>
public sealed record ExpireApproval(Guid AccountId, Guid ApprovalId) : IAccountCommand
{
    public Guid AnswerId => ApprovalId;

    public Decision Decide(Account account, Facts facts) => DecidingApprovals.Expire(account, ApprovalId, facts.Now);
}
