using Ledger.Domain.Approvals;

namespace Ledger.Domain.Accounts.Crediting;

/// <summary>A credit; over the poster's limits it becomes request <paramref name="ApprovalId"/>, a manager's override carries a reason.</summary>
public sealed record IssueCredit(
    Guid AccountId, Guid EntryId, decimal Amount, string ReasonCode, string Reason, string? OverrideReason = null, Guid ApprovalId = default)
    : IAccountCommand
{
    public Guid AnswerId => EntryId;

    public Reads ReadsFor(Poster poster) => Reads.Allowance;

    /// <summary>Posting rules first (a valid credit at all?), then authority: applied at once, an override, or a request for approval.</summary>
    public Decision Decide(Account account, Facts facts)
    {
        var posting = Decide(account, this, facts.Ceiling, facts.Now);
        return posting.IsAccepted ? Authority.ForCredit(account, posting, facts.Poster, facts.Limits!, OverrideReason, ApprovalId, facts.Now) : posting;
    }

    /// <summary>The posting rules alone: whether this is a valid credit at all, whoever posts it.</summary>
    public static Decision Decide(Account account, IssueCredit command, decimal ceiling, DateTimeOffset now)
    {
        var rejection = Guards.AcceptsPostings(account)
            ?? Guards.Amount(account, command.Amount, ceiling)
            ?? Guards.Text(command.ReasonCode, "reasonCode", 50)
            ?? Guards.Text(command.Reason, "reason", 500);
        return rejection is not null
            ? Decision.Reject(rejection)
            : Decision.Accept(new CreditIssued(account.Id, command.EntryId, command.Amount,
                command.ReasonCode.Trim().ToLowerInvariant(), command.Reason.Trim(), now));
    }
}
