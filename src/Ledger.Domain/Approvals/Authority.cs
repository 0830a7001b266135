using Ledger.Domain.Accounts;
using Ledger.Domain.Policies;

namespace Ledger.Domain.Approvals;

/// <summary>
/// Decides, for a credit or correction that the posting rules accepted, whether the poster may apply it alone,
/// needs a recorded override reason (a manager above a CSR's limit), or must ask for approval.
/// </summary>
public static class Authority
{
    public const string SelfServiceRequest = "self-service-request";
    public const string SecondApprovalAbove = "second-approval-above";

    // A role's own limits are named "{role}.{limit}" (e.g. "csr.max-single-credit") where requests record what they exceeded.
    private const string MaxSingleCredit = "max-single-credit";
    private const string DailyCreditTotal = "daily-credit-total";
    private const string AccountCreditTotal30Days = "account-credit-total-30-days";
    private const string MaxSingleCorrection = "max-single-correction";

    private static string LimitOf(string role, string limit) => $"{role}.{limit}";

    private static string Unscoped(string code) => code.IndexOf('/') is var slash and > 0 ? code[(slash + 1)..] : code;

    /// <summary>
    /// A limit code as the people deciding read it, with the amount the policy set (the policy in force when the
    /// request was made): e.g. "csr.max-single-credit" → "a CSR's single credit: up to 100.00 USD".
    /// </summary>
    public static string Describe(string exceededLimit, LimitsPolicy? policy, string currency)
    {
        // Under a customer's own limits ("corporate:acme/csr.max-single-credit"): those limits, named, with their amounts when given.
        if (exceededLimit.IndexOf('/') is var slash and > 0)
            return $"{Describe(exceededLimit[(slash + 1)..], policy, currency)} (under {exceededLimit[..slash].Replace(":", " ")}'s own desk limits)";
        string Money(decimal amount) => $"{amount.ToString("N2", System.Globalization.CultureInfo.InvariantCulture)} {currency}";
        if (exceededLimit == SelfServiceRequest)
            return "a customer's own request: customers never post credits themselves";
        if (exceededLimit == SecondApprovalAbove)
            return policy is null ? "two approvals above the second-approval threshold" : $"above {Money(policy.SecondApprovalAbove)}: two approvals, whoever asks";
        var parts = exceededLimit.Split('.', 2);
        var limits = parts.Length == 2 ? policy?.For(parts[0]) : null;
        var who = parts[0] switch { Poster.Csr => "a CSR's", Poster.Manager => "a manager's", _ => parts[0] + "'s" };
        return (parts.Length == 2 ? parts[1] : "") switch
        {
            MaxSingleCredit => $"{who} single credit" + (limits is null ? "" : $": up to {Money(limits.MaxSingleCredit)}"),
            DailyCreditTotal => $"{who} credits in one day" + (limits is null ? "" : $": up to {Money(limits.DailyCreditTotal)} in all"),
            AccountCreditTotal30Days => $"{who} credits to one account in 30 days" + (limits is null ? "" : $": up to {Money(limits.AccountCreditTotal30Days)}"),
            MaxSingleCorrection => $"{who} single correction" + (limits is null ? "" : $": up to {Money(limits.MaxSingleCorrection)}"),
            _ => exceededLimit,
        };
    }

    public static Decision ForCredit(Account account, Decision posting, Poster poster, LimitsInForce limits, string? overrideReason,
        Guid approvalId, DateTimeOffset now) =>
        posting.Rejection is not null || posting.Events is not [CreditIssued credit]
            ? posting
            : ByCreditLimits(account, credit.Amount, credit.EntryId, poster, limits, overrideReason, now,
                (exceeded, required) => new ApprovalRequested(account.Id, approvalId, ApprovalKind.Credit, credit.Amount, credit.ReasonCode, credit.Reason,
                    null, poster.UserId, poster.Role, exceeded, limits.Version, required, now, now.AddHours(limits.Policy.ApprovalExpiryHours)),
                authorization => credit with { Authorization = authorization });

    /// <summary>
    /// A refund is judged by the limits of a credit (money the ledger gives up): within them it is issued and drawn
    /// from the poster's daily allowance; above them it is a request, with where the money would go recorded beside it.
    /// </summary>
    public static Decision ForRefund(Account account, Decision posting, Poster poster, LimitsInForce limits, string? overrideReason,
        Guid approvalId, DateTimeOffset now) =>
        posting.Rejection is not null || posting.Events is not [RefundIssued refund]
            ? posting
            : ByCreditLimits(account, refund.Amount, refund.RefundId, poster, limits, overrideReason, now,
                (exceeded, required) => new ApprovalRequested(account.Id, approvalId, ApprovalKind.Refund, refund.Amount, "refund", refund.Reason, null,
                    poster.UserId, poster.Role, exceeded, limits.Version, required, now, now.AddHours(limits.Policy.ApprovalExpiryHours)),
                authorization => refund with { Authorization = authorization },
                new RefundRequested(account.Id, approvalId, refund.Method, refund.CardPaymentId, refund.DestinationAccount, now));

    /// <summary>
    /// Money the ledger gives up (a credit, a refund) on the poster's authority: within their credit limits it is applied
    /// (<paramref name="authorized"/>) and drawn from their daily allowance; a manager above a CSR's limit needs an
    /// override reason; above their own limits it is a request (<paramref name="asking"/>, with
    /// <paramref name="besideRequest"/> recorded beside it).
    /// </summary>
    private static Decision ByCreditLimits(Account account, decimal amount, Guid appliedId, Poster poster, LimitsInForce limits, string? overrideReason,
        DateTimeOffset now, Func<string, int, ApprovalRequested> asking, Func<Authorization, object> authorized, object? besideRequest = null)
    {
        if (poster.Role != Poster.Customer && limits.Policy.For(poster.Role) is null)
            return NoLimits(poster);
        var (exceeded, required) = CreditLimit(account, amount, poster, limits, now);
        if (exceeded is not null)
        {
            var request = Request(account, poster, now, asking(exceeded, required));
            return request.IsAccepted && besideRequest is not null ? Decision.Accept([.. request.Events, besideRequest]) : request;
        }

        var (csrExceeded, _) = CreditLimit(account, amount, poster with { Role = Poster.Csr }, limits, now);
        return Applied(authorized(Authorize(poster, limits, csrExceeded, overrideReason)), poster, csrExceeded, overrideReason)
            ?.Drawing(DailyAllowance.Use(poster, amount, account.Id, appliedId, now))
            ?? OverrideReasonRequired(csrExceeded!);
    }

    public static Decision ForCorrection(Account account, Decision posting, Poster poster, LimitsInForce limits, string? overrideReason,
        Guid approvalId, DateTimeOffset now)
    {
        if (posting.Rejection is not null || posting.Events is not [EntryCorrected correction])
            return posting;
        if (limits.Policy.For(poster.Role) is null)
            return NoLimits(poster);
        var (exceeded, required) = CorrectionLimit(correction.Amount, poster, limits);
        if (exceeded is not null)
            return Request(account, poster, now,
                new ApprovalRequested(account.Id, approvalId, ApprovalKind.Correction, correction.Amount, null, correction.Reason,
                    correction.EntryId, poster.UserId, poster.Role, exceeded, limits.Version, required, now,
                    now.AddHours(limits.Policy.ApprovalExpiryHours)));

        var (csrExceeded, _) = CorrectionLimit(correction.Amount, poster with { Role = Poster.Csr }, limits);
        return Applied(correction with { Authorization = Authorize(poster, limits, csrExceeded, overrideReason) }, poster, csrExceeded, overrideReason)
            ?? OverrideReasonRequired(csrExceeded!);
    }

    /// <summary>
    /// The first of the poster's limits this credit would break (null: none), and how many approvals it needs. Every
    /// path that applies a credit on someone's own authority judges it here: a post, an override, a CSR's grant of a
    /// customer's request.
    /// </summary>
    public static (string? Exceeded, int Required) CreditLimit(Account account, decimal amount, Poster poster, LimitsInForce limits, DateTimeOffset now)
    {
        var (exceeded, required) = UnscopedCreditLimit(account, amount, poster, limits, now);
        return (exceeded is null || exceeded == SelfServiceRequest ? exceeded : limits.Code(exceeded), required);
    }

    private static (string? Exceeded, int Required) UnscopedCreditLimit(Account account, decimal amount, Poster poster, LimitsInForce limits, DateTimeOffset now) =>
        CreditLimitOf(amount, poster.Role, limits.Policy, limits.UsedToday, account.CreditedSince(now.AddDays(-30)));

    /// <summary>
    /// The credit limits of <paramref name="policy"/> for a poster in <paramref name="role"/> who already credited
    /// <paramref name="usedToday"/> alone today, on an account credited <paramref name="credited30Days"/> in the last 30 days:
    /// the first limit the amount would break (unscoped; null: none) and how many approvals it needs. The policy simulation
    /// judges recorded decisions with it too.
    /// </summary>
    public static (string? Exceeded, int Required) CreditLimitOf(decimal amount, string role, LimitsPolicy policy, decimal usedToday, decimal credited30Days)
    {
        var required = amount > policy.SecondApprovalAbove ? 2 : 1;
        if (role == Poster.Customer)
            return (SelfServiceRequest, required);
        if (required == 2)
            return (SecondApprovalAbove, 2);
        var own = policy.For(role)!;
        if (amount > own.MaxSingleCredit)
            return (LimitOf(role, MaxSingleCredit), 1);
        if (usedToday + amount > own.DailyCreditTotal)
            return (LimitOf(role, DailyCreditTotal), 1);
        return credited30Days + amount > own.AccountCreditTotal30Days
            ? (LimitOf(role, AccountCreditTotal30Days), 1)
            : (null, 1);
    }

    private static (string? Exceeded, int Required) CorrectionLimit(decimal amount, Poster poster, LimitsInForce limits) =>
        CorrectionLimitOf(amount, poster.Role, limits.Policy) is (string exceeded, var required) ? (limits.Code(exceeded), required) : (null, 1);

    /// <summary>The correction limit of <paramref name="policy"/> an amount would break for <paramref name="role"/> (unscoped; null: none).</summary>
    public static (string? Exceeded, int Required) CorrectionLimitOf(decimal amount, string role, LimitsPolicy policy) =>
        amount > policy.SecondApprovalAbove ? (SecondApprovalAbove, 2)
        : amount > policy.For(role)!.MaxSingleCorrection ? (LimitOf(role, MaxSingleCorrection), 1)
        : (null, 1);

    private static Authorization Authorize(Poster poster, LimitsInForce limits, string? csrExceeded, string? overrideReason) =>
        poster.Role == Poster.Manager && csrExceeded is not null
            ? new Authorization(limits.Version, limits.Code($"manager-override-of-{Unscoped(csrExceeded)}"), overrideReason?.Trim())
            : new Authorization(limits.Version, limits.Code($"{poster.Role}.within-limits"));

    /// <summary>A manager above a CSR's limit overrides it; an override without a reason is not accepted.</summary>
    private static Decision? Applied(object @event, Poster poster, string? csrExceeded, string? overrideReason) =>
        poster.Role == Poster.Manager && csrExceeded is not null && string.IsNullOrWhiteSpace(overrideReason) ? null : Decision.Accept(@event);

    private static Decision NoLimits(Poster poster) => Decision.Reject("role-has-no-limits",
        $"The role '{poster.Role}' has no posting limits in the policy, so it cannot post this alone or ask for approval.");

    private static Decision OverrideReasonRequired(string csrExceeded) => Decision.Reject("override-reason-required",
        $"This is above a CSR's limit ({csrExceeded}): a manager's override must carry an 'overrideReason'.", "overrideReason");

    private static Decision Request(Account account, Poster poster, DateTimeOffset now, ApprovalRequested request)
    {
        // A request past its expiry is dead even before the scheduled expiry records it; it blocks nothing.
        var duplicate = account.PendingApprovals.Values.FirstOrDefault(p => p.RequestedBy == poster.UserId && p.Kind == request.Kind
            && p.Amount == request.Amount && p.EntryId == request.EntryId && now < p.ExpiresAt);
        return duplicate is not null
            ? Decision.Reject(new Rejection("duplicate-pending-request",
                $"You already have the same {request.Kind.ToString().ToLowerInvariant()} of {request.Amount} pending as approval {duplicate.ApprovalId}.",
                null, IsConflict: true, Reference: duplicate.ApprovalId))
            : Decision.Accept(request);
    }
}
