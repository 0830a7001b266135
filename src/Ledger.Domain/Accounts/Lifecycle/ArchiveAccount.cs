namespace Ledger.Domain.Accounts.Lifecycle;

/// <summary>
/// Moves a closed account to cold storage (`archive-closed --closed-before DATE`). Only an account that nothing can
/// still happen to qualifies: closed before the cut-off, its balance zero, and no payment, refund, dispute or request
/// still open. Archiving twice is no change. Once archived, the account refuses every write (<see cref="Refusal"/>).
/// </summary>
public sealed record ArchiveAccount(Guid AccountId, DateTimeOffset ClosedBefore, string Reason) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts)
    {
        if (Guards.Text(Reason, "reason", 500) is { } reason)
            return Decision.Reject(reason);
        if (account.ArchivedAt is not null)
            return Decision.Accept();
        var why = account switch
        {
            { Status: not AccountStatus.Closed } => ("account-not-closed", $"Account {account.AccountNumber} is not closed; only closed accounts are archived."),
            { ClosedAt: { } closed } when closed >= ClosedBefore =>
                ("closed-too-recently", $"Account {account.AccountNumber} was closed on {closed:yyyy-MM-dd}, not before {ClosedBefore:yyyy-MM-dd}."),
            { Balance: not 0m } => ("balance-not-zero", $"Account {account.AccountNumber} has a balance of {account.Balance} {account.Currency}."),
            { PendingPayments.Count: > 0 } => ("payments-pending", $"Account {account.AccountNumber} has payments not yet settled."),
            { PendingRefunds.Count: > 0 } => ("refunds-pending", $"Account {account.AccountNumber} has refunds not yet settled."),
            { OpenDisputes: > 0 } => ("open-disputes", $"Account {account.AccountNumber} has open disputes."),
            { PendingApprovals.Count: > 0 } => ("pending-approvals", $"Account {account.AccountNumber} has requests awaiting approval."),
            _ => default((string Rule, string Message)?),
        };
        return why is { } refused
            ? Decision.Reject(refused.Rule, refused.Message)
            : Decision.Accept(new AccountArchived(account.Id, Reason.Trim(), ClosedBefore, facts.Now));
    }

    /// <summary>What every other command on an archived account is answered: nothing more is recorded on it.</summary>
    public static Rejection? Refusal(Account? account, IAccountCommand command) =>
        account?.ArchivedAt is { } archived && command is not ArchiveAccount
            ? new Rejection("account-archived",
                $"Account {account.AccountNumber} was closed and archived on {archived:yyyy-MM-dd}; nothing more is recorded on it.")
            : null;
}
