namespace Ledger.Domain.Approvals;

public enum ApprovalKind { Credit, Correction, Refund, PaymentPlan }

/// <summary>
/// Which authority let a credit or correction through: the policy version in force, the limit that
/// applied, and, for a manager's override or an approved request, who and why.
/// </summary>
public sealed record Authorization(
    long PolicyVersion, string Limit, string? OverrideReason = null, Guid? ApprovalId = null, string? RequestedBy = null,
    IReadOnlyList<string>? ApprovedBy = null);

/// <summary>
/// A credit or correction over the requester's limit, parked on the account until decided. The requester is a
/// business fact (the four-eyes rule needs it), taken from the token like every actor.
/// </summary>
public sealed record ApprovalRequested(
    Guid AccountId, Guid ApprovalId, ApprovalKind Kind, decimal Amount, string? ReasonCode, string Reason, Guid? EntryId,
    string RequestedBy, string RequestedRole, string ExceededLimit, long PolicyVersion, int ApprovalsRequired,
    DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt) : Accounts.IAwaitsApproval;

/// <summary>The first of two approvals a request over the second-approval threshold needs.</summary>
public sealed record ApprovalGranted(Guid AccountId, Guid ApprovalId, string ApprovedBy, string? Note, DateTimeOffset GrantedAt);

/// <summary>The last approval: the credit or correction (<see cref="EntryId"/> / correction id) is applied in the same transaction.</summary>
public sealed record ApprovalApproved(Guid AccountId, Guid ApprovalId, string ApprovedBy, string? Note, Guid AppliedId, DateTimeOffset ApprovedAt);

public sealed record ApprovalRejected(Guid AccountId, Guid ApprovalId, string RejectedBy, string Reason, DateTimeOffset RejectedAt);

public sealed record ApprovalExpired(Guid AccountId, Guid ApprovalId, DateTimeOffset ExpiredAt);

/// <summary>A request still waiting, as the account keeps it.</summary>
public sealed record PendingApproval(
    Guid ApprovalId, ApprovalKind Kind, decimal Amount, string? ReasonCode, string Reason, Guid? EntryId, string RequestedBy,
    string RequestedRole, string ExceededLimit, long PolicyVersion, int ApprovalsRequired, DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt, IReadOnlyList<string> ApprovedBy)
{
    /// <summary>For a refund: where the money would go (recorded beside the request).</summary>
    public Accounts.RefundRequested? Refund { get; init; }

    /// <summary>For a payment plan: its instalments (recorded beside the request).</summary>
    public Collections.PaymentPlanRequested? Plan { get; init; }

    public static PendingApproval From(ApprovalRequested e) => new(e.ApprovalId, e.Kind, e.Amount, e.ReasonCode, e.Reason, e.EntryId,
        e.RequestedBy, e.RequestedRole, e.ExceededLimit, e.PolicyVersion, e.ApprovalsRequired, e.RequestedAt, e.ExpiresAt, []);
}
