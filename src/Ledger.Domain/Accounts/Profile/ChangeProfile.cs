namespace Ledger.Domain.Accounts.Profile;

public sealed record ChangeProfile(Guid AccountId, string HolderName, Address Address) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, facts.Now);

    public static Decision Decide(Account account, ChangeProfile command, DateTimeOffset now)
    {
        if (account.Status == AccountStatus.Closed)
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} is closed; its profile is frozen.");
        var holder = command.HolderName.Trim();
        if (holder == account.HolderName && command.Address == account.Address)
            return Decision.Reject("profile-unchanged", "The new profile is the same as the current one; nothing to record.");
        return Decision.Accept(new ProfileChanged(account.Id, holder, command.Address, now));
    }
}
