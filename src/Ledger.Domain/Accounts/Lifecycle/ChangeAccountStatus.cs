namespace Ledger.Domain.Accounts.Lifecycle;

public enum LifecycleAction { Suspend, Reactivate, Close }

public sealed record ChangeAccountStatus(Guid AccountId, LifecycleAction Action, string Reason) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, facts.Now);

    public static Decision Decide(Account account, ChangeAccountStatus command, DateTimeOffset now)
    {
        var reason = Guards.Text(command.Reason, "reason", 500);
        if (reason is not null)
            return Decision.Reject(reason);
        if (account.Status == AccountStatus.Closed)
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} is closed; a closed account stays closed.");

        return command.Action switch
        {
            LifecycleAction.Suspend or LifecycleAction.Reactivate when account.Status == AccountStatus.Cancelled =>
                Decision.Reject("account-cancelled", $"Account {account.AccountNumber} was cancelled for non-payment; paying in full within the reinstatement window reinstates it."),
            LifecycleAction.Suspend when account.Status == AccountStatus.Suspended =>
                Decision.Reject("account-already-suspended", $"Account {account.AccountNumber} is already suspended."),
            LifecycleAction.Suspend => Decision.Accept(new AccountSuspended(account.Id, command.Reason.Trim(), now)),
            LifecycleAction.Reactivate when account.Status != AccountStatus.Suspended =>
                Decision.Reject("account-not-suspended", $"Account {account.AccountNumber} is not suspended."),
            LifecycleAction.Reactivate => Decision.Accept(new AccountReactivated(account.Id, command.Reason.Trim(), now)),
            _ when account.Balance != 0m => Decision.Reject("balance-not-zero",
                $"Account {account.AccountNumber} has a balance of {account.Balance} {account.Currency}; post a final charge or credit to bring it to zero before closing."),
            _ when account.OpenDisputes > 0 => Decision.Reject("open-disputes",
                $"Account {account.AccountNumber} has {account.OpenDisputes} open dispute(s); resolve them before closing."),
            _ when account.PendingApprovals.Count > 0 => Decision.Reject("pending-approvals",
                $"Account {account.AccountNumber} has {account.PendingApprovals.Count} request(s) awaiting approval; decide them before closing."),
            _ => Decision.Accept(new AccountClosed(account.Id, command.Reason.Trim(), now)),
        };
    }
}
