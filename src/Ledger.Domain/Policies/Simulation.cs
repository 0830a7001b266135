using Ledger.Domain.Approvals;

namespace Ledger.Domain.Policies;

public enum Outcome { Applied, Approval, Refused }

public enum DecidedKind { Credit, Refund, Correction }

/// <summary>
/// A decision the desk made on a credit, refund or correction, as the record has it: who asked (and in which role), how much,
/// what came of it (applied on their own authority, or sent for approval), and what the limits judged it against — what the
/// poster had already credited alone that day, and what the account had been credited in the 30 days before.
/// </summary>
public sealed record RecordedDecision(DateTimeOffset At, Guid AccountId, DecidedKind Kind, decimal Amount, string UserId, string Role, Outcome Actual,
    string? ActualLimit, string? OverrideReason, decimal UsedTodayBefore, decimal CreditedBefore30Days);

public sealed record OutcomeCounts(int Applied, int Approval, int Refused)
{
    public static OutcomeCounts Of(IEnumerable<Outcome> outcomes)
    {
        var list = outcomes.ToList();
        return new(list.Count(o => o == Outcome.Applied), list.Count(o => o == Outcome.Approval), list.Count(o => o == Outcome.Refused));
    }
}

/// <summary>One poster's decisions: what happened, what the proposed limits would have done, and the money applied on their own authority under each.</summary>
public sealed record PosterComparison(string UserId, string Role, int Decisions, OutcomeCounts Actual, OutcomeCounts Proposed, int Changed,
    decimal AppliedActual, decimal AppliedProposed);

/// <summary>A decision the proposed limits would have decided otherwise.</summary>
public sealed record DecisionDifference(DateTimeOffset At, Guid AccountId, DecidedKind Kind, decimal Amount, string UserId, string Role, Outcome Actual,
    string? ActualLimit, Outcome Proposed, string? ProposedLimit);

public sealed record SimulationReport(DateTimeOffset From, DateTimeOffset To, LimitsPolicy Proposed, int Decisions, OutcomeCounts Actual,
    OutcomeCounts ProposedOutcomes, IReadOnlyList<PosterComparison> ByPoster, int DifferenceCount, IReadOnlyList<DecisionDifference> Differences);

/// <summary>
/// Replays recorded desk decisions against proposed limits, read-only: each decision is judged as <see cref="Authority"/> would
/// judge it under them, given what had actually happened before it (the poster's credits that day, the account's in the 30
/// days before) — so every difference is one decision, not a chain of guesses about what would have followed.
/// </summary>
public static class PolicySimulation
{
    public const int MaxDifferencesListed = 1_000;

    public static (Outcome Outcome, string? Limit) Judge(RecordedDecision d, LimitsPolicy proposed)
    {
        if (proposed.For(d.Role) is null)
            return (Outcome.Refused, "no-limits-for-role");
        var (exceeded, _) = d.Kind == DecidedKind.Correction
            ? Authority.CorrectionLimitOf(d.Amount, d.Role, proposed)
            : Authority.CreditLimitOf(d.Amount, d.Role, proposed, d.UsedTodayBefore, d.CreditedBefore30Days);
        if (exceeded is not null)
            return (Outcome.Approval, exceeded);
        // A manager above a CSR's limits applies it only with an override reason (as Authority requires).
        if (d.Role == Poster.Manager)
        {
            var (csrExceeded, _) = d.Kind == DecidedKind.Correction
                ? Authority.CorrectionLimitOf(d.Amount, Poster.Csr, proposed)
                : Authority.CreditLimitOf(d.Amount, Poster.Csr, proposed, d.UsedTodayBefore, d.CreditedBefore30Days);
            if (csrExceeded is not null)
                return string.IsNullOrWhiteSpace(d.OverrideReason)
                    ? (Outcome.Refused, $"override-reason-required-for-{csrExceeded}")
                    : (Outcome.Applied, $"manager-override-of-{csrExceeded}");
        }
        return (Outcome.Applied, $"{d.Role}.within-limits");
    }

    public static SimulationReport Run(IReadOnlyList<RecordedDecision> decisions, LimitsPolicy proposed, DateTimeOffset from, DateTimeOffset to)
    {
        var judged = decisions.OrderBy(d => d.At).Select(d => (Decision: d, Proposed: Judge(d, proposed))).ToList();
        var byPoster = judged.GroupBy(j => (j.Decision.UserId, j.Decision.Role))
            .Select(g => new PosterComparison(g.Key.UserId, g.Key.Role, g.Count(), OutcomeCounts.Of(g.Select(j => j.Decision.Actual)),
                OutcomeCounts.Of(g.Select(j => j.Proposed.Outcome)), g.Count(j => j.Proposed.Outcome != j.Decision.Actual),
                g.Where(j => j.Decision.Actual == Outcome.Applied).Sum(j => j.Decision.Amount),
                g.Where(j => j.Proposed.Outcome == Outcome.Applied).Sum(j => j.Decision.Amount)))
            .OrderBy(p => p.Role, StringComparer.Ordinal).ThenBy(p => p.UserId, StringComparer.Ordinal).ToList();
        var differences = judged.Where(j => j.Proposed.Outcome != j.Decision.Actual)
            .Select(j => new DecisionDifference(j.Decision.At, j.Decision.AccountId, j.Decision.Kind, j.Decision.Amount, j.Decision.UserId, j.Decision.Role,
                j.Decision.Actual, j.Decision.ActualLimit, j.Proposed.Outcome, j.Proposed.Limit))
            .ToList();
        return new SimulationReport(from, to, proposed, judged.Count, OutcomeCounts.Of(judged.Select(j => j.Decision.Actual)),
            OutcomeCounts.Of(judged.Select(j => j.Proposed.Outcome)), byPoster, differences.Count, differences.Take(MaxDifferencesListed).ToList());
    }
}
