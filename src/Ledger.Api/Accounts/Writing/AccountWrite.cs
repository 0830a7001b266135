using Ledger.Api.Access;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;

namespace Ledger.Api.Accounts.Writing;

/// <summary>A command on an account, with what the HTTP layer knows besides its body: who, which version, which retry key.</summary>
public sealed record AccountWrite(IAccountCommand Command, RequestContext Context)
{
    public Guid AccountId => Command.AccountId;
}

/// <summary>
/// The Wolverine handler of every account write: the one write path (<see cref="GroupCommit"/>) loads, decides, appends
/// and answers. Wolverine's retry policies (version conflicts) apply to it like to any handler.
/// </summary>
public static class AccountWriteHandler
{
    public static Task<CommandOutcome> Handle(AccountWrite write, GroupCommit writer, CancellationToken ct) => writer.WriteAsync(write, ct);

    /// <summary>Scheduled when a request is recorded (<see cref="FollowUps"/>); Wolverine keeps it in PostgreSQL through restarts.</summary>
    public static Task<CommandOutcome> Handle(ExpireApproval expiry, GroupCommit writer, CancellationToken ct) =>
        writer.WriteAsync(new AccountWrite(expiry, new RequestContext(ApprovalExpiry, $"expire-{expiry.ApprovalId:N}", null, null, null)), ct);

    private static readonly Actor ApprovalExpiry = new("system:approval-expiry", "system", Channel.Desk, null);
}
