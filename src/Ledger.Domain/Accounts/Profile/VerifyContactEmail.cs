namespace Ledger.Domain.Accounts.Profile;

public sealed record VerifyContactEmail(Guid AccountId, Guid VerificationId) : IAccountCommand
{
    public Guid AnswerId => AccountId;

    public Decision Decide(Account account, Facts facts) => Decide(account, this, facts.Now);

    /// <summary>The owner of a pending address confirmed it: once, before its link expires, and only the latest one asked for.</summary>
    public static Decision Decide(Account account, VerifyContactEmail command, DateTimeOffset now)
    {
        if (account.PendingEmail is not { } pending || pending.VerificationId != command.VerificationId)
            return Decision.Reject(new Rejection("verification-not-pending",
                "This confirmation link was already used, was replaced by a newer one, or never existed.", IsConflict: true,
                Reference: command.VerificationId));
        if (now >= pending.ExpiresAt)
            return Decision.Reject(new Rejection("verification-expired",
                $"This confirmation link expired at {pending.ExpiresAt:u}; change the contact again to get a new one.", IsConflict: true,
                Reference: pending.VerificationId));
        return Decision.Accept(new ContactEmailVerified(account.Id, pending.VerificationId, pending.Address, now));
    }
}
