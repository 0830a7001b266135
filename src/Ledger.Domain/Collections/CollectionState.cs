using System.Collections.Immutable;
using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Collections;

/// <summary>
/// A bill with something due on it: what it asked for and by when, and <see cref="SettledBefore"/>, the account's running
/// total of money settled (<see cref="CollectionState.Settled"/>) up to the end of what the bill covered. What settled since
/// counts against it, so what is still unpaid is <see cref="Unpaid"/>. The steps taken on it and the late fees charged on it
/// stay with it: each step is taken once per bill, and the fees never pass the policy's cap.
/// </summary>
public sealed record OpenBill(Guid StatementId, DateOnly DueDate, decimal AmountDue, decimal SettledBefore)
{
    public ImmutableList<CollectionStep> Steps { get; init; } = ImmutableList<CollectionStep>.Empty;
    public decimal LateFees { get; init; }

    public decimal Unpaid(decimal settled) => AmountDue - (settled - SettledBefore);
}

/// <summary>A late fee charged on the account: whether a bill listed it yet, and whether it was waived.</summary>
public sealed record LateFeeOnAccount(decimal Amount, bool Billed, bool Waived);

/// <summary>Money that settled after the last bill's cut-off (a payment, a credit, a reversal taking one back), by its bill line's id.</summary>
public sealed record Settlement(Guid LineId, decimal Amount);

/// <summary>
/// What collections needs to know of an account, kept by its fold. <see cref="Settled"/> is every movement that pays off
/// what was billed — payments, credits, corrections — less what came back (a returned payment, a refund), never a new charge:
/// new charges are due on the next bill, not on the ones already issued.
/// </summary>
public sealed record CollectionState
{
    public static readonly CollectionState None = new();

    /// <summary>Bills kept while something may be due on them (at most <see cref="KeptBills"/>).</summary>
    public const int KeptBills = 24;

    public decimal Settled { get; init; }
    public ImmutableList<OpenBill> Bills { get; init; } = ImmutableList<OpenBill>.Empty;

    /// <summary>Settlements since the last bill's cut-off that no bill lists yet.</summary>
    public ImmutableList<Settlement> Unbilled { get; init; } = ImmutableList<Settlement>.Empty;

    /// <summary>A step was taken and the account has not been paid up since.</summary>
    public bool Delinquent { get; init; }

    /// <summary>When the last step was taken (steps keep the policy's minimum distance).</summary>
    public DateOnly? LastStepOn { get; init; }

    /// <summary>The account was suspended by a dunning step (not by the desk): paying up restores it.</summary>
    public bool SuspendedForNonPayment { get; init; }

    /// <summary>The date the notice of intent said cancellation takes effect; cancellation never comes earlier.</summary>
    public DateOnly? CancellationEffectiveOn { get; init; }

    public DateTimeOffset? CancelledAt { get; init; }
    public DateOnly? ReinstateUntil { get; init; }

    /// <summary>What settled since the cancellation (shown on the reinstatement).</summary>
    public decimal SettledAtCancellation { get; init; }

    /// <summary>Open disputes and the entries they dispute: a bill disputed for its past-due amount is not chased past the reminder.</summary>
    public ImmutableDictionary<Guid, Guid> OpenDisputes { get; init; } = ImmutableDictionary<Guid, Guid>.Empty;

    /// <summary>The late fees charged, by their charge's entry id (at most one a bill): what may be waived.</summary>
    public ImmutableDictionary<Guid, LateFeeOnAccount> LateFees { get; init; } = ImmutableDictionary<Guid, LateFeeOnAccount>.Empty;

    /// <summary>The payment plan running on the account, if any: dunning holds while it runs.</summary>
    public RunningPlan? Plan { get; init; }

    public CollectionState When(object e) => e switch
    {
        PaymentReceived p => Settle(p.EntryId, p.Amount),
        CreditIssued c => Settle(c.EntryId, c.Amount),
        EntryCorrected c => Settle(c.CorrectionId, -c.BalanceEffect),
        CorrectionReversed r => Settle(r.ReversalId, -r.BalanceEffect),
        PaymentReversed r => Settle(r.ReversalId, -r.Amount),
        PaymentReinstated r => Settle(r.ReversalId, r.Amount),
        RefundSettled r => Settle(r.RefundId, -r.Amount),
        StatementIssued s => Billed(s.Content),
        ChargeDisputed d => this with { OpenDisputes = OpenDisputes.SetItem(d.DisputeId, d.EntryId) },
        DisputeResolved d => this with { OpenDisputes = OpenDisputes.Remove(d.DisputeId) },
        CollectionStepRaised t => Took(t),
        LateFeeWaived w => Waived(w),
        PaymentPlanAgreed p => this with { Plan = new RunningPlan(p.PlanId, [.. p.Instalments], p.GraceDays, Settled, 0, p.AgreedAt) },
        PlanInstalmentCovered p when Plan?.PlanId == p.PlanId => this with { Plan = Plan with { Met = Math.Max(Plan.Met, p.Number) } },
        PaymentPlanCompleted or PaymentPlanDefaulted => this with { Plan = null },
        PastDueCleared => this with { Delinquent = false, SuspendedForNonPayment = false, CancellationEffectiveOn = null, LastStepOn = null },
        AccountCancelled c => this with
        {
            CancelledAt = c.CancelledAt, ReinstateUntil = c.ReinstateUntil, SettledAtCancellation = Settled, SuspendedForNonPayment = false,
        },
        AccountReinstated => this with { CancelledAt = null, ReinstateUntil = null, Delinquent = false, CancellationEffectiveOn = null, LastStepOn = null },
        _ => this,
    };

    private CollectionState Settle(Guid lineId, decimal amount) =>
        this with { Settled = Settled + amount, Unbilled = Unbilled.Add(new Settlement(lineId, amount)) };

    /// <summary>
    /// A bill was issued. Money that settled after its cut-off but before it was issued is not on it, yet pays it: the bill's
    /// starting point is the running total less those. Bills already paid are let go.
    /// </summary>
    private CollectionState Billed(StatementContent bill)
    {
        var listed = bill.Lines.GroupBy(l => l.EntryId).ToDictionary(g => g.Key, g => g.Count());
        var notOnIt = ImmutableList.CreateBuilder<Settlement>();
        foreach (var s in Unbilled)
        {
            if (listed.TryGetValue(s.LineId, out var n) && n > 0)
                listed[s.LineId] = n - 1;
            else
                notOnIt.Add(s);
        }
        var kept = Bills.Where(b => b.Unpaid(Settled) > 0).ToImmutableList();
        if (bill.AmountDue > 0)
            kept = kept.Add(new OpenBill(bill.StatementId, bill.DueDate, bill.AmountDue, Settled - notOnIt.Sum(s => s.Amount)));
        if (kept.Count > KeptBills)
            kept = kept.RemoveRange(0, kept.Count - KeptBills);
        var fees = LateFees;
        foreach (var (id, fee) in LateFees)
            if (!fee.Billed && listed.ContainsKey(id))
                fees = fees.SetItem(id, fee with { Billed = true });
        return this with { Bills = kept, Unbilled = notOnIt.ToImmutable(), LateFees = fees };
    }

    private CollectionState Waived(LateFeeWaived w)
    {
        if (!LateFees.TryGetValue(w.FeeEntryId, out var fee))
            return this;
        var waived = this with { LateFees = LateFees.SetItem(w.FeeEntryId, fee with { Waived = true }) };
        // An unbilled fee and its waiver cancel out on the next bill: the credit pays nothing already billed.
        return fee.Billed
            ? waived
            : waived with { Settled = Settled - w.Amount, Unbilled = Unbilled.RemoveAll(s => s.LineId == w.CreditEntryId) };
    }

    private CollectionState Took(CollectionStepRaised t)
    {
        var bill = Bills.FindIndex(b => b.StatementId == t.StatementId);
        var bills = bill < 0 ? Bills : Bills.SetItem(bill, Bills[bill] with
        {
            Steps = Bills[bill].Steps.Add(t.Step), LateFees = Bills[bill].LateFees + (t.LateFee ?? 0m),
        });
        var fees = t.LateFeeEntryId is { } feeId && t.LateFee is { } amount ? LateFees.SetItem(feeId, new LateFeeOnAccount(amount, false, false)) : LateFees;
        return this with
        {
            LateFees = fees, Bills = bills, Delinquent = true, LastStepOn = DateOnly.FromDateTime(t.TakenAt.UtcDateTime),
            SuspendedForNonPayment = SuspendedForNonPayment || t.Step == CollectionStep.Suspension,
            CancellationEffectiveOn = t.CancellationEffectiveOn ?? CancellationEffectiveOn,
        };
    }
}
