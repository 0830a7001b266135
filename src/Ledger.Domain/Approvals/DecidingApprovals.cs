using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Correcting;
using Ledger.Domain.Policies;

namespace Ledger.Domain.Approvals;

/// <summary>Approve, reject or expire a pending request: once, by someone other than the requester (four eyes).</summary>
public static class DecidingApprovals
{
    public static Decision Approve(Account account, Entry? entry, Guid approvalId, Poster approver, LimitsInForce limits, string? note,
        Guid appliedId, DateTimeOffset now)
    {
        if (Decidable(account, approvalId, approver, limits.Policy, now) is { } refused)
            return Decision.Reject(refused);
        var pending = account.PendingApprovals[approvalId];
        if (account.Status == AccountStatus.Closed && pending.Kind != ApprovalKind.Refund) // what is left is still paid back
            return Decision.Reject("account-closed", $"Account {account.AccountNumber} was closed; nothing can be applied to it.");
        if (pending.ApprovedBy.Count + 1 < pending.ApprovalsRequired)
            return Decision.Accept(new ApprovalGranted(account.Id, approvalId, approver.UserId, note?.Trim(), now));

        var authorization = new Authorization(pending.PolicyVersion, pending.ExceededLimit, null, approvalId, pending.RequestedBy,
            [.. pending.ApprovedBy, approver.UserId]);
        var approved = new ApprovalApproved(account.Id, approvalId, approver.UserId, note?.Trim(), appliedId, now);
        if (pending.Kind == ApprovalKind.Credit)
        {
            var credit = new CreditIssued(account.Id, appliedId, pending.Amount, pending.ReasonCode ?? "approved", pending.Reason, now, authorization);
            // A credit asked for to waive a late fee waives it when applied (once: the fee may have been waived since).
            if (pending is { ReasonCode: Collections.WaiveLateFee.ReasonCode, EntryId: { } fee })
                return account.Collections.LateFees.GetValueOrDefault(fee) is { Waived: false }
                    ? OnApproversAuthority(account, approver, limits, pending, appliedId, now,
                        Decision.Accept(approved, credit, new Collections.LateFeeWaived(account.Id, fee, appliedId, pending.Amount, now)))
                    : Decision.Reject(new Rejection("late-fee-already-waived", $"The late fee {fee} was already waived.", IsConflict: true, Reference: fee));
            return OnApproversAuthority(account, approver, limits, pending, appliedId, now, Decision.Accept(approved, credit));
        }
        if (pending.Kind == ApprovalKind.Refund)
        {
            // The credit balance may have been used or refunded since the request: what may be refunded is checked again now.
            if (pending.Refund is not { } where)
                return Decision.Reject("refund-details-missing", $"Request {approvalId} does not say where the refund would go; reject it and ask again.");
            if (Accounts.Refunding.IssueRefund.Exceeds(account, pending.Amount) is { } exceeds)
                return Decision.Reject(exceeds);
            return OnApproversAuthority(account, approver, limits, pending, appliedId, now, Decision.Accept(approved,
                new RefundIssued(account.Id, appliedId, pending.Amount, where.Method, where.CardPaymentId, where.DestinationAccount,
                    Payments.BankReferences.For(appliedId), pending.Reason, now, authorization)));
        }

        if (pending.Kind == ApprovalKind.PaymentPlan)
        {
            // The account may have been paid or fallen further behind since the request: the plan is checked again now.
            if (pending.Plan is not { } plan)
                return Decision.Reject("plan-details-missing", $"Request {approvalId} does not record its instalments; reject it and ask again.");
            if (Collections.AgreePaymentPlan.Check(account, plan.Instalments, null, DateOnly.FromDateTime(now.UtcDateTime)) is { } changed)
                return Decision.Reject(changed);
            return Decision.Accept(approved, new Collections.PaymentPlanAgreed(account.Id, plan.PlanId, plan.Instalments, pending.Amount, plan.GraceDays,
                plan.PolicyVersion, now, authorization));
        }

        // The entry may have been corrected since the request: what remains is checked again now.
        if (entry is null || entry.Id != pending.EntryId || pending.Amount > entry.Remaining)
            return Decision.Reject("correction-exceeds-remaining",
                $"Entry {pending.EntryId} has {entry?.Remaining ?? 0} left to correct now; the requested {pending.Amount} no longer fits.");
        return Decision.Accept(approved, new EntryCorrected(account.Id, appliedId, entry.Id, entry.Kind, pending.Amount,
            CorrectEntry.BalanceEffect(entry.Kind, pending.Amount), pending.Reason, now, authorization));
    }

    /// <summary>
    /// A manager's approval is the authority above a CSR's limits. A CSR granting a customer's request (a credit, a
    /// refund) gives on their own authority, so every limit of theirs holds as if they had posted it: single, daily, 30
    /// days on the account.
    /// </summary>
    private static Decision OnApproversAuthority(Account account, Poster approver, LimitsInForce limits, PendingApproval pending, Guid appliedId,
        DateTimeOffset now, Decision applied)
    {
        if (approver.Role != Poster.Csr)
            return applied;
        var (exceeded, _) = Authority.CreditLimit(account, pending.Amount, approver, limits, now);
        return exceeded is null
            ? applied.Drawing(DailyAllowance.Use(approver, pending.Amount, account.Id, appliedId, now))
            : Decision.Reject(exceeded,
                $"Granting {pending.Amount} would break {Authority.Describe(exceeded, limits.Policy, account.Currency)}; a manager decides it.");
    }

    public static Decision Reject(Account account, Guid approvalId, Poster decider, LimitsPolicy policy, string reason, DateTimeOffset now)
    {
        if (Decidable(account, approvalId, decider, policy, now) is { } refused)
            return Decision.Reject(refused);
        return string.IsNullOrWhiteSpace(reason)
            ? Decision.Reject("required", "A rejection carries a reason.", "reason")
            : Decision.Accept(new ApprovalRejected(account.Id, approvalId, decider.UserId, reason.Trim(), now));
    }

    /// <summary>The scheduled expiry: records the lapse if nobody decided in time, and otherwise does nothing.</summary>
    public static Decision Expire(Account account, Guid approvalId, DateTimeOffset now) =>
        account.PendingApprovals.TryGetValue(approvalId, out var pending) && now >= pending.ExpiresAt
            ? Decision.Accept(new ApprovalExpired(account.Id, approvalId, now))
            : Decision.Accept();

    private static Rejection? Decidable(Account account, Guid approvalId, Poster decider, LimitsPolicy policy, DateTimeOffset now)
    {
        if (!account.PendingApprovals.TryGetValue(approvalId, out var pending))
            return new Rejection("approval-not-pending", $"Approval {approvalId} is not pending on this account: it was decided, expired or never existed.",
                null, IsConflict: true, Reference: approvalId);
        if (now >= pending.ExpiresAt)
            return new Rejection("approval-expired", $"Approval {approvalId} expired at {pending.ExpiresAt:u}.", null, IsConflict: true, Reference: approvalId);
        if (decider.UserId == pending.RequestedBy || pending.ApprovedBy.Contains(decider.UserId))
            return new Rejection("four-eyes", "A request is decided by someone other than its requester and its earlier approvers.");
        var csrMay = decider.Role == Poster.Csr && pending.RequestedRole == Poster.Customer && pending.ApprovalsRequired == 1
            && pending.Amount <= (pending.Kind == ApprovalKind.Correction ? policy.Csr.MaxSingleCorrection : policy.Csr.MaxSingleCredit);
        return decider.Role == Poster.Manager || csrMay
            ? null
            : new Rejection("approver-lacks-authority",
                pending.RequestedRole == Poster.Customer
                    ? $"This customer request of {pending.Amount} is above a CSR's limit; a manager decides it."
                    : "Only a manager decides a request that went over a limit.");
    }
}
