using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>Monthly budgets of nodes and members, and their alerts: each threshold once per target and month.</summary>
public class BudgetTests
{
    private static readonly Guid Tree = Guid.Parse("7e000000-0000-0000-0000-000000000002");
    private static readonly Guid Company = Guid.Parse("7e000000-0000-0000-0000-0000000001c0");
    private static readonly Guid Sales = Guid.Parse("7e000000-0000-0000-0000-0000000001d1");
    private static readonly Guid Anna = Guid.Parse("7e000000-0000-0000-0000-0000000001a1");
    private static readonly Guid Ben = Guid.Parse("7e000000-0000-0000-0000-0000000001a2");
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static CorporateTree With(params object[] events) =>
        events.Select((e, i) => (e, i)).Aggregate((CorporateTree?)null, (t, x) => CorporateTree.Evolve(t, x.e, x.i + 1))!;

    private static readonly CorporateTree Acme = With(
        new CorporateCreated(Tree, "acme", Company, "Acme", Now), new CorporateNodeCreated(Tree, Sales, Company, "Sales", NodeKind.Division, Now),
        new CorporateMemberAdded(Tree, Sales, Anna, Now), new CorporateMemberAdded(Tree, Sales, Ben, Now),
        new CorporateBudgetDefined(Tree, Sales, 1000m, "EUR", [80, 100], Now), new CorporateBudgetDefined(Tree, Anna, 300m, "EUR", [50], Now));

    private static Decision Review(CorporateTree tree, string month, decimal anna, decimal ben, string currency = "EUR") =>
        new ReviewBudgets(Tree, month, new Dictionary<Guid, MemberSpend> { [Anna] = new(anna, currency), [Ben] = new(ben, "EUR") })
            .Decide(tree, new TreeFacts(Now, new Poster("system:budgets", "system"), null));

    [Fact]
    public void Given_budgets_When_spend_reaches_each_threshold_Then_each_is_alerted_once_per_target_and_month()
    {
        Review(Acme, "2026-12", 100m, 690m).ThenEvents(); // Sales 790 of 1000 (79 %), Anna 100 of 300 (33 %)
        var at80 = Review(Acme, "2026-12", 150m, 650m); // Sales 800 (80 %), Anna 150 (50 %)
        at80.ThenEvents(new CorporateBudgetAlerted(Tree, Anna, "2026-12", 50, 150m, 300m, "EUR", Now),
            new CorporateBudgetAlerted(Tree, Sales, "2026-12", 80, 800m, 1000m, "EUR", Now));
        var alerted = at80.Events.Aggregate(Acme, (t, e) => CorporateTree.Evolve(t, e, t.Version + 1)!);
        Review(alerted, "2026-12", 150m, 700m).ThenEvents();
        Review(alerted, "2026-12", 300m, 700m).ThenEvents(new CorporateBudgetAlerted(Tree, Sales, "2026-12", 100, 1000m, 1000m, "EUR", Now));
        Review(alerted, "2027-01", 0m, 850m).ThenEvents(new CorporateBudgetAlerted(Tree, Sales, "2027-01", 80, 850m, 1000m, "EUR", Now));
        Review(Acme, "2026-12", 5000m, 0m, currency: "USD").ThenEvents(); // another currency is never converted
    }

    [Fact]
    public void Given_a_budget_When_set_with_bad_values_or_on_something_outside_the_tree_Then_refused_naming_the_field()
    {
        var facts = new TreeFacts(Now, new Poster("acme-admin", "corporate-admin"), null);
        new SetBudget(Tree, Sales, 0m, "EUR", null).Decide(Acme, facts).ThenRejected("budget-amount-invalid", "amount");
        new SetBudget(Tree, Sales, 10.001m, "EUR", null).Decide(Acme, facts).ThenRejected("budget-amount-invalid", "amount");
        new SetBudget(Tree, Sales, 10m, "EURO", null).Decide(Acme, facts).ThenRejected("currency-unknown", "currency");
        new SetBudget(Tree, Sales, 10m, "EUR", [100, 80]).Decide(Acme, facts).ThenRejected("thresholds-invalid", "thresholds");
        new SetBudget(Tree, Guid.NewGuid(), 10m, "EUR", null).Decide(Acme, facts).ThenRejected("node-not-found", "targetId");
        new SetBudget(Tree, Sales, 1000m, "EUR", [80, 100]).Decide(Acme, facts).ThenConflict("budget-unchanged", Sales);
        new SetBudget(Tree, Ben, 200m, "EUR", null).Decide(Acme, facts).ThenEventsByMembers(new CorporateBudgetDefined(Tree, Ben, 200m, "EUR", [80, 100], Now));
    }
}
