using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Charging;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Accounts.Crediting;
using Ledger.Domain.Accounts.Disputing;
using Ledger.Domain.Accounts.Lifecycle;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Profile;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests;

/// <summary>Runs one command through its pure decision, always at <see cref="At.Now"/> and under <see cref="Ceiling"/>.</summary>
public static class When
{
    /// <summary>The API's default posting ceiling (LedgerOptions.PostingCeiling).</summary>
    public const decimal Ceiling = 1_000_000m;

    public static Decision Open(OpenAccount command) => OpenAccount.Decide(command, At.Now);
    public static Decision Charge(Account account, PostCharge command) => PostCharge.Decide(account, command, Ceiling, At.Now);
    public static Decision Pay(Account account, ReceivePayment command) => ReceivePayment.Decide(account, command, Ceiling, At.Now);
    public static Decision Credit(Account account, IssueCredit command) => IssueCredit.Decide(account, command, Ceiling, At.Now);

    public static Decision Correct(Account account, Entry? entry, CorrectEntry command) =>
        CorrectEntry.Decide(account, entry, command, Ceiling, At.Now);

    public static Decision Reverse(Account account, Entry? entry, ReverseCorrection command) =>
        ReverseCorrection.Decide(account, entry, command, At.Now);

    public static Decision Dispute(Account account, Entry? entry, DisputeCharge command) => DisputeCharge.Decide(account, entry, command, At.Now);
    public static Decision Resolve(Account account, Entry? entry, ResolveDispute command) => ResolveDispute.Decide(account, entry, command, At.Now);
    public static Decision ChangeStatus(Account account, ChangeAccountStatus command) => ChangeAccountStatus.Decide(account, command, At.Now);
    public static Decision ChangeProfile(Account account, ChangeProfile command) => Ledger.Domain.Accounts.Profile.ChangeProfile.Decide(account, command, At.Now);

    /// <summary>A credit as <paramref name="poster"/>: the posting rules, then the authority of the poster's role (<see cref="Limits.Default"/>).</summary>
    public static Decision CreditAs(Poster poster, Account account, IssueCredit command, decimal usedToday = 0m, string? overrideReason = null) =>
        Authority.ForCredit(account, Credit(account, command), poster, Limits.InForce(usedToday), overrideReason, Ids.Approval, At.Now);

    public static Decision CorrectAs(Poster poster, Account account, Entry? entry, CorrectEntry command, string? overrideReason = null,
        decimal usedToday = 0m) =>
        Authority.ForCorrection(account, Correct(account, entry, command), poster, Limits.InForce(usedToday), overrideReason, Ids.Approval, At.Now);

    /// <summary>Approves <paramref name="approvalId"/>; what it applies gets the id <see cref="Ids.Applied"/>.</summary>
    public static Decision Approve(Account account, Entry? entry, Guid approvalId, Poster approver, string? note = null, LimitsInForce? limits = null) =>
        DecidingApprovals.Approve(account, entry, approvalId, approver, limits ?? Limits.InForce(), note, Ids.Applied, At.Now);

    public static Decision RejectApproval(Account account, Guid approvalId, Poster decider, string reason) =>
        DecidingApprovals.Reject(account, approvalId, decider, Limits.Default, reason, At.Now);

    public static Decision Expire(Account account, Guid approvalId) => DecidingApprovals.Expire(account, approvalId, At.Now);

    /// <summary>Any account command as <paramref name="poster"/>, given the entry it reads.</summary>
    public static Decision As(Poster poster, Account account, IAccountCommand command, Entry? entry = null) =>
        command.Decide(account, new Facts(At.Now, poster, Ceiling) { Entry = entry });

    public static Decision ChangePolicy(PolicyState? current, LimitsPolicy proposed, string reason) =>
        ChangingPolicy.Decide(current, proposed, reason, At.Now);
}
