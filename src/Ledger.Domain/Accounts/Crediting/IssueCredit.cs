namespace Ledger.Domain.Accounts.Crediting;

public sealed record IssueCredit(Guid AccountId, Guid EntryId, decimal Amount, string ReasonCode, string Reason);

public static class Crediting
{
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
