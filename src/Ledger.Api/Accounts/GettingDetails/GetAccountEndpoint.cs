using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Collections;
using Marten;

namespace Ledger.Api.Accounts.GettingDetails;

/// <summary>
/// The account summary as the desk and its owner see it. Balance: positive = the customer owes. Billed balance: the
/// closing balance of the last bill; unbilled activity: what happened since. <see cref="ArchivedAt"/>: when the closed
/// account was moved to cold storage (archive-closed); it takes no writes after that.
/// </summary>
public sealed record AccountView(
    Guid Id, string AccountNumber, string CustomerId, string HolderName, string Status, string Currency, decimal Balance,
    decimal BilledBalance, decimal UnbilledActivity, DateTimeOffset? LastStatementPeriodEnd,
    int BillingDay, Address Address, int OpenDisputes, DateTimeOffset OpenedAt, DateTimeOffset? LastPaymentAt, decimal? LastPaymentAmount,
    long Version, IReadOnlyList<PendingRequestView> PendingApprovals, ContactView? Contact, IReadOnlyList<PendingPaymentView> PendingPayments,
    IReadOnlyList<PendingRefundView> PendingRefunds, decimal RefundableCredit, DateTimeOffset? ClosedAt, DateTimeOffset? ArchivedAt,
    PastDueView? PastDue, PaymentPlanView? PaymentPlan, string? BrokerId, IReadOnlyList<OpenCallback>? OpenCallbacks)
{
    /// <summary>
    /// The summary as <paramref name="viewer"/> may see it on <paramref name="day"/> (what is past due depends on the day): a
    /// customer gets no staff internals (see <see cref="PendingRequestView"/>). With the dunning <paramref name="policy"/>, what is
    /// past due also says which step comes next and when.
    /// </summary>
    public static AccountView Of(Account a, Actor viewer, DateOnly day, DunningPolicy? policy = null) => new(a.Id, a.AccountNumber, a.CustomerId, a.HolderName, a.Status.ToString().ToLowerInvariant(),
        a.Currency, a.Balance, a.BilledBalance, a.Balance - a.BilledBalance, a.LastStatementPeriodEnd, a.BillingDay, a.Address, a.OpenDisputes, a.OpenedAt, a.LastPaymentAt, a.LastPaymentAmount, a.Version,
        a.PendingApprovals.Values.OrderBy(p => p.RequestedAt).Select(p => PendingRequestView.Of(p, viewer)).ToList(),
        a.Contact is null && a.PendingEmail is null ? null : ContactView.Of(a),
        a.PendingPayments.OrderBy(p => p.Value.InitiatedAt).Select(p => new PendingPaymentView(p.Key, p.Value.Amount, p.Value.Method, p.Value.Reference,
            p.Value.ProcessorReference, p.Value.InitiatedAt)).ToList(),
        a.PendingRefunds.OrderBy(r => r.Value.IssuedAt).Select(r => new PendingRefundView(r.Key, r.Value.Amount, r.Value.Method, r.Value.Reference,
            r.Value.IssuedAt)).ToList(),
        a.RefundableCredit, a.ClosedAt, a.ArchivedAt, PastDueView.Of(a, day, policy),
        PaymentPlanView.Of(a, day),
        // The broker and the calls brokers asked for are between the broker and the desk.
        viewer.IsCustomer ? null : a.BrokerId, viewer.IsCustomer ? null : a.OpenCallbacks);
}

/// <summary>
/// The payment plan running on the account: what it covers, what was paid toward it, each instalment (met, due, or late: past
/// its date and not met) and the next one with what is still short of it.
/// </summary>
public sealed record PaymentPlanView(Guid PlanId, decimal Total, decimal Paid, DateTimeOffset AgreedAt, int GraceDays,
    IReadOnlyList<PlanInstalmentView> Instalments, int? NextInstalment, DateOnly? NextDueOn, decimal? NextShort)
{
    public static PaymentPlanView? Of(Account a, DateOnly day)
    {
        if (a.Collections.Plan is not { } plan)
            return null;
        var settled = a.Collections.Settled;
        var met = plan.MetBy(settled);
        var next = plan.Next(settled);
        return new PaymentPlanView(plan.PlanId, plan.Total, plan.Paid(settled), plan.AgreedAt, plan.GraceDays,
            plan.Instalments.Select((i, n) => new PlanInstalmentView(n + 1, i.DueOn, i.Amount, n < met ? "met" : i.DueOn < day ? "late" : "due")).ToList(),
            next?.Number, next?.Instalment.DueOn, next?.Short);
    }
}

public sealed record PlanInstalmentView(int Number, DateOnly DueOn, decimal Amount, string Status);

/// <summary>
/// What is past due on the day read: how much (the latest bill due, less what settled since), since when and how many days
/// (counted from the oldest bill not covered), the last dunning step taken and the next one with its day (when the policy was
/// read), the day cancellation takes effect once the notice of intent stated it, and for an account cancelled for non-payment
/// the last day paying in full reinstates it. Null when nothing is past due and the account is not cancelled.
/// </summary>
public sealed record PastDueView(decimal Amount, DateOnly? Since, int Days, CollectionStep? CurrentStep, CollectionStep? NextStep, DateOnly? NextStepOn,
    DateOnly? CancellationEffectiveOn, DateOnly? ReinstateUntil)
{
    public static PastDueView? Of(Account a, DateOnly day, DunningPolicy? policy)
    {
        var due = PastDue.On(a.Collections, day);
        if (due is null && a.Status != AccountStatus.Cancelled)
            return null;
        var next = policy is null || due is null ? null : ReviewCollections.Upcoming(a, policy, day);
        return new PastDueView(due?.Amount ?? Math.Max(0m, a.Balance), due?.Since, due?.Days ?? 0, due?.CurrentStep, next?.Step, next?.On,
            a.Collections.CancellationEffectiveOn ?? (next is { Step: CollectionStep.Cancellation } ? next.Value.On : null), a.Collections.ReinstateUntil);
    }
}

/// <summary>A refund on its way to the customer, not yet confirmed by the processor or the bank; <see cref="Reference"/> is what the transfer carries.</summary>
public sealed record PendingRefundView(Guid RefundId, decimal Amount, RefundMethod Method, string Reference, DateTimeOffset IssuedAt);

/// <summary>A payment started and not yet confirmed by the processor or the bank: shown apart, not in the balance.</summary>
public sealed record PendingPaymentView(Guid PaymentId, decimal Amount, PaymentMethod Method, string? Reference, string? ProcessorReference,
    DateTimeOffset InitiatedAt);

/// <summary>
/// A request waiting for a decision. Everyone who may see the account sees what it is, how much, where it stands and a
/// reason; who asked, the limit it went over, the policy, the approvals so far and the desk's own note are staff's, and
/// are null for customers. A customer's reason is their own words on their own request, and a fixed sentence on one the
/// desk raised (whose note may say things meant for colleagues).
/// </summary>
public sealed record PendingRequestView(
    Guid ApprovalId, ApprovalKind Kind, decimal Amount, string Status, string Reason, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt,
    Guid? EntryId, string? ReasonCode, string? RequestedBy, string? RequestedRole, string? ExceededLimit, long? PolicyVersion, int? ApprovalsRequired,
    IReadOnlyList<string>? ApprovedBy)
{
    public static PendingRequestView Of(PendingApproval p, Actor viewer) => viewer.IsOutside
        ? new(p.ApprovalId, p.Kind, p.Amount, "pending", CustomerFacingReason(p), p.RequestedAt, p.ExpiresAt, p.EntryId,
            null, null, null, null, null, null, null)
        : new(p.ApprovalId, p.Kind, p.Amount, "pending", p.Reason, p.RequestedAt, p.ExpiresAt, p.EntryId,
            p.ReasonCode, p.RequestedBy, p.RequestedRole, p.ExceededLimit, p.PolicyVersion, p.ApprovalsRequired, p.ApprovedBy);

    private static string CustomerFacingReason(PendingApproval p) => p.RequestedRole == Poster.Customer
        ? p.Reason
        : p.Kind switch
        {
            ApprovalKind.Credit => "A credit our service desk proposed for your account is waiting for approval.",
            ApprovalKind.Refund => "A refund our service desk proposed for your account is waiting for approval.",
            ApprovalKind.PaymentPlan => "A payment plan our service desk proposed for your account is waiting for approval.",
            _ => "A correction our service desk proposed for your account is waiting for approval.",
        };
}

/// <summary>
/// How notices reach the customer (null: no choice recorded, nothing is sent); paper goes to <see cref="AccountView.Address"/>.
/// <see cref="Email"/> is the address notices go to, confirmed by its owner; <see cref="PendingEmail"/> one waiting for
/// its owner to follow the link mailed to it (until <see cref="PendingEmailExpiresAt"/>); until an e-mail choice has a
/// confirmed address, notices come on paper.
/// </summary>
public sealed record ContactView(Domain.Accounts.Profile.ContactChannel Channel, string? Email, bool EmailVerified, string? PendingEmail,
    DateTimeOffset? PendingEmailExpiresAt)
{
    public static ContactView Of(Account a) => new(a.Contact?.Channel ?? Domain.Accounts.Profile.ContactChannel.Paper, a.Contact?.Email,
        a.Contact?.Email is not null, a.PendingEmail?.Address, a.PendingEmail?.ExpiresAt);
}

public static class GetAccountEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapGet("/{accountId:guid}", async (Guid accountId, DateTimeOffset? asOf, long? version, HttpContext http, IQuerySession query, ReplicaReads replicas,
            TimeProvider clock) =>
        {
            if (version is < 1)
                return Problems.Rule(new Rejection("version-out-of-range", "'version' starts at 1 (the opening).", "version"), 400);
            // Now: the inline snapshot, one row whatever the history's length. Then: the events replayed up to that point.
            if (await AccountAccess.VisibleAsync(query, http, accountId) is not { } current)
                return Problems.NotFound($"Account {accountId}");
            if (version > current.Version)
                return Problems.Rule(new Rejection("version-out-of-range", $"The account is at version {current.Version}.", "version"), 400);
            // The past (not a version, which may be newer than a replica has) may come from a read replica that has replayed past it.
            var account = asOf is null && version is null ? current
                : version is null && asOf is { } moment ? await replicas.ForMomentAsync(query, moment,
                    session => TimeTravel.AccountCheckpoints.AsOfAsync(session, accountId, null, moment, http.RequestAborted), http.RequestAborted)
                : await TimeTravel.AccountCheckpoints.AsOfAsync(query, accountId, version, asOf, http.RequestAborted);
            if (account is null)
                return Problems.Rule(new Rejection("not-yet-open", $"Account {accountId} did not exist at that moment.", asOf is null ? "version" : "asOf"),
                    StatusCodes.Status404NotFound);
            http.Response.Headers.ETag = ETags.For(account.Version);
            var policy = await query.LoadAsync<DunningPolicyState>(DunningPolicyState.StreamId, http.RequestAborted);
            var day = DateOnly.FromDateTime((asOf ?? clock.GetUtcNow()).UtcDateTime);
            return Results.Ok(AccountView.Of(account, Actor.From(http.User), day, policy?.Current));
        })
        .RequireAuthorization(AccessPolicies.ReadAccount)
        .WithName("GetAccount").Versioned()
        .WithSummary("An account's current state (ETag = stream version, for If-Match), or as it stood ?asOf=<timestamp> or at ?version=<n>.")
        .Produces<AccountView>();
}
