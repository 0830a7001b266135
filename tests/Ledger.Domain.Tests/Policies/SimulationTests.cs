using Ledger.Domain.Policies;

namespace Ledger.Domain.Tests.Policies;

/// <summary>
/// The policy simulation judges each recorded decision as Authority would under the proposed limits, on what had happened
/// before it. Default limits: CSR 100 single / 500 a day / 300 per account in 30 days / 200 a correction; manager 10× that.
/// </summary>
public class SimulationTests
{
    private static readonly LimitsPolicy Tighter = Limits.Default with
    {
        Csr = Limits.Default.Csr with { MaxSingleCredit = 85m, DailyCreditTotal = 200m, MaxSingleCorrection = 100m },
    };

    private static RecordedDecision Credit(decimal amount, string role = "csr", Outcome actual = Outcome.Applied, decimal usedToday = 0m,
        decimal credited = 0m, string? overrideReason = null, int minute = 0) =>
        new(At.Now.AddMinutes(minute), Ids.Account, DecidedKind.Credit, amount, role == "csr" ? "carol" : "mike", role, actual,
            actual == Outcome.Applied ? $"{role}.within-limits" : $"{role}.max-single-credit", overrideReason, usedToday, credited);

    [Fact]
    public void Each_decision_is_judged_by_the_limit_it_would_break_first()
    {
        PolicySimulation.Judge(Credit(80m), Tighter).Should().Be((Outcome.Applied, "csr.within-limits"));
        PolicySimulation.Judge(Credit(90m), Tighter).Should().Be((Outcome.Approval, "csr.max-single-credit"));
        PolicySimulation.Judge(Credit(60m, usedToday: 170m), Tighter).Should().Be((Outcome.Approval, "csr.daily-credit-total"));
        PolicySimulation.Judge(Credit(60m, credited: 250m), Tighter).Should().Be((Outcome.Approval, "csr.account-credit-total-30-days"));
        PolicySimulation.Judge(Credit(6_000m), Tighter).Should().Be((Outcome.Approval, "second-approval-above"));
        PolicySimulation.Judge(Credit(150m, "manager", overrideReason: "Outage"), Tighter).Should().Be((Outcome.Applied, "manager-override-of-csr.max-single-credit"));
        PolicySimulation.Judge(Credit(95m, "manager"), Tighter).Should().Be((Outcome.Refused, "override-reason-required-for-csr.max-single-credit"));
        PolicySimulation.Judge(Credit(10m, "broker"), Tighter).Should().Be((Outcome.Refused, "no-limits-for-role"));
        PolicySimulation.Judge(Credit(150m) with { Kind = DecidedKind.Correction }, Tighter).Should().Be((Outcome.Approval, "csr.max-single-correction"));
    }

    [Fact]
    public void The_report_compares_per_poster_and_in_total_and_lists_what_would_have_gone_otherwise()
    {
        var decisions = new[]
        {
            Credit(80m, minute: 1), Credit(90m, usedToday: 80m, credited: 80m, minute: 2), Credit(150m, actual: Outcome.Approval, minute: 3),
            Credit(60m, usedToday: 170m, minute: 4), Credit(150m, minute: 5) with { Kind = DecidedKind.Correction },
            Credit(120m, "manager", overrideReason: "Storm", minute: 6), Credit(95m, "manager", usedToday: 120m, minute: 7),
        };
        var report = PolicySimulation.Run(decisions, Tighter, At.Now, At.Now.AddHours(1));
        (report.Decisions, report.Actual, report.ProposedOutcomes, report.DifferenceCount)
            .Should().Be((7, new OutcomeCounts(6, 1, 0), new OutcomeCounts(2, 4, 1), 4));
        report.ByPoster.Should().Equal(
            new PosterComparison("carol", "csr", 5, new OutcomeCounts(4, 1, 0), new OutcomeCounts(1, 4, 0), 3, 380m, 80m),
            new PosterComparison("mike", "manager", 2, new OutcomeCounts(2, 0, 0), new OutcomeCounts(1, 0, 1), 1, 215m, 120m));
        report.Differences.Select(d => (d.Amount, d.Proposed, d.ProposedLimit)).Should().Equal(
            (90m, Outcome.Approval, "csr.max-single-credit"), (60m, Outcome.Approval, "csr.daily-credit-total"),
            (150m, Outcome.Approval, "csr.max-single-correction"), (95m, Outcome.Refused, "override-reason-required-for-csr.max-single-credit"));
    }
}
