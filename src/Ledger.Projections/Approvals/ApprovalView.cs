using JasperFx.Events;
using Ledger.Domain.Approvals;
using Marten.Events.Projections;

namespace Ledger.Projections.Approvals;

public enum ApprovalStatus { Pending, Approved, Rejected, Expired }

/// <summary>One approval request across all accounts, for the managers' queue and the requester's own list.</summary>
public sealed record ApprovalView
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public ApprovalKind Kind { get; init; }
    public decimal Amount { get; init; }
    public string? ReasonCode { get; init; }
    public string Reason { get; init; } = "";
    public Guid? EntryId { get; init; }
    public string RequestedBy { get; init; } = "";
    public string RequestedRole { get; init; } = "";
    public string ExceededLimit { get; init; } = "";
    public long PolicyVersion { get; init; }
    public int ApprovalsRequired { get; init; }
    public IReadOnlyList<string> ApprovedBy { get; init; } = [];
    public ApprovalStatus Status { get; init; }
    public string? DecidedBy { get; init; }
    public string? DecisionNote { get; init; }
    public Guid? AppliedId { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
}

/// <summary>
/// Inline: a manager who approves a request and reloads the queue must not see it again, and the queue is
/// small per write (one document per request).
/// </summary>
public sealed class ApprovalQueueProjection : MultiStreamProjection<ApprovalView, Guid>
{
    public ApprovalQueueProjection()
    {
        Identity<ApprovalRequested>(e => e.ApprovalId);
        Identity<ApprovalGranted>(e => e.ApprovalId);
        Identity<ApprovalApproved>(e => e.ApprovalId);
        Identity<ApprovalRejected>(e => e.ApprovalId);
        Identity<ApprovalExpired>(e => e.ApprovalId);
    }

    public override ApprovalView? Evolve(ApprovalView? view, Guid id, IEvent e) => (view, e.Data) switch
    {
        (null, ApprovalRequested r) => new ApprovalView
        {
            Id = r.ApprovalId, AccountId = r.AccountId, Kind = r.Kind, Amount = r.Amount, ReasonCode = r.ReasonCode, Reason = r.Reason,
            EntryId = r.EntryId, RequestedBy = r.RequestedBy, RequestedRole = r.RequestedRole, ExceededLimit = r.ExceededLimit,
            PolicyVersion = r.PolicyVersion, ApprovalsRequired = r.ApprovalsRequired, Status = ApprovalStatus.Pending,
            RequestedAt = r.RequestedAt, ExpiresAt = r.ExpiresAt,
        },
        (null, _) => null,
        (_, ApprovalGranted g) => view with { ApprovedBy = [.. view.ApprovedBy, g.ApprovedBy] },
        (_, ApprovalApproved a) => view with
        {
            Status = ApprovalStatus.Approved, ApprovedBy = [.. view.ApprovedBy, a.ApprovedBy], DecidedBy = a.ApprovedBy,
            DecisionNote = a.Note, AppliedId = a.AppliedId, DecidedAt = a.ApprovedAt,
        },
        (_, ApprovalRejected r) => view with { Status = ApprovalStatus.Rejected, DecidedBy = r.RejectedBy, DecisionNote = r.Reason, DecidedAt = r.RejectedAt },
        (_, ApprovalExpired x) => view with { Status = ApprovalStatus.Expired, DecidedAt = x.ExpiredAt },
        _ => view,
    };
}
