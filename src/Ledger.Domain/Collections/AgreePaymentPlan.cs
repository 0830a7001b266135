using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Money;

namespace Ledger.Domain.Collections;

/// <summary>
/// The desk agrees a plan for what is past due: instalments adding up to exactly that amount, in date order, none in the past,
/// within the policy's bounds. A CSR agrees alone up to the policy's amount and number of instalments; above them the plan is a
/// request a manager approves (the approval agrees it). <see cref="Policy"/> is read with the account, like a review's.
/// </summary>
public sealed record AgreePaymentPlan(Guid AccountId, Guid PlanId, IReadOnlyList<PlanInstalment> Instalments, DunningPolicy Policy, long PolicyVersion,
    Guid ApprovalId = default) : IAccountCommand
{
    public const string CsrPlanLimit = "csr.payment-plan";

    public Guid AnswerId => PlanId;

    public Reads ReadsFor(Poster poster) => Reads.Limits;

    public Decision Decide(Account account, Facts facts)
    {
        var today = DateOnly.FromDateTime(facts.Now.UtcDateTime);
        if (Check(account, Instalments, Policy.Plans, today) is { } invalid)
            return Decision.Reject(invalid);
        var total = Instalments.Sum(i => i.Amount);
        var plans = Policy.Plans;
        if (facts.Poster.Role == Poster.Csr && (total > plans.CsrMaxAmount || Instalments.Count > plans.CsrMaxInstalments))
        {
            var expires = facts.Now.AddHours(facts.Limits!.Policy.ApprovalExpiryHours);
            return Decision.Accept(
                new ApprovalRequested(account.Id, ApprovalId, ApprovalKind.PaymentPlan, total, "payment-plan",
                    $"Payment plan: {Instalments.Count} instalment(s) of {total} {account.Currency} past due, the last on {Instalments[^1].DueOn:yyyy-MM-dd}",
                    null, facts.Poster.UserId, facts.Poster.Role, CsrPlanLimit, facts.Limits.Version, 1, facts.Now, expires),
                new PaymentPlanRequested(account.Id, ApprovalId, PlanId, [.. Instalments], plans.GraceDays, PolicyVersion, facts.Now));
        }
        return Decision.Accept(new PaymentPlanAgreed(account.Id, PlanId, [.. Instalments], total, plans.GraceDays, PolicyVersion, facts.Now,
            new Authorization(facts.Limits!.Version, facts.Limits.Code($"{facts.Poster.Role}.within-limits"))));
    }

    /// <summary>
    /// Why a plan cannot be agreed on the account today, or null. Checked again when a manager approves one, without
    /// <paramref name="limits"/> (the policy's bounds held when it was asked for).
    /// </summary>
    public static Rejection? Check(Account account, IReadOnlyList<PlanInstalment> instalments, PlanLimits? limits, DateOnly today)
    {
        if (account.Status is AccountStatus.Closed or AccountStatus.Cancelled)
            return new Rejection("account-not-open", $"Account {account.AccountNumber} is {account.Status.ToString().ToLowerInvariant()}; plans are for open accounts.");
        if (account.Collections.Plan is { } running)
            return new Rejection("plan-exists", $"Plan {running.PlanId} is running on this account.", IsConflict: true, Reference: running.PlanId);
        if (PastDue.On(account.Collections, today) is not { } due)
            return new Rejection("nothing-past-due", $"Nothing is past due on account {account.AccountNumber}; a plan is for a past-due amount.");
        if (instalments.Count == 0 || instalments.Count > (limits?.MaxInstalments ?? int.MaxValue))
            return new Rejection("instalments-out-of-range", $"A plan has 1 to {limits?.MaxInstalments} instalments.", "instalments");
        var currency = Currency.TryFind(account.Currency, out var c) ? c : new Currency(account.Currency, 2);
        for (var i = 0; i < instalments.Count; i++)
        {
            var (on, amount) = (instalments[i].DueOn, instalments[i].Amount);
            if (amount <= 0 || decimal.Round(amount, currency.MinorUnits) != amount)
                return new Rejection("instalment-amount-invalid",
                    $"Each instalment is a positive amount with at most {currency.MinorUnits} decimal(s).", $"instalments[{i}].amount");
            if (on < today)
                return new Rejection("instalment-in-past", $"Instalment {i + 1} falls on {on:yyyy-MM-dd}, before today.", $"instalments[{i}].dueOn");
            if (i > 0 && on <= instalments[i - 1].DueOn)
                return new Rejection("instalments-out-of-order", "Instalments fall on different days, in order.", $"instalments[{i}].dueOn");
            if (limits is not null && on > today.AddMonths(limits.MaxMonths))
                return new Rejection("plan-too-long", $"The last instalment is at most {limits.MaxMonths} months away.", $"instalments[{i}].dueOn");
        }
        var total = instalments.Sum(i => i.Amount);
        return total != due.Amount
            ? new Rejection("instalments-do-not-add-up", $"The instalments add up to {total} {account.Currency}; {due.Amount} {account.Currency} is past due.",
                "instalments")
            : null;
    }
}
