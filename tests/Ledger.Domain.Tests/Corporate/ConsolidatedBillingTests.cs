using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>Parent pays: who pays for whom, and a consolidated bill composed from the tree at the cut-off and its members' events.</summary>
public class ConsolidatedBillingTests
{
    private static readonly Guid Tree = Guid.Parse("7e000000-0000-0000-0000-000000000004");
    private static readonly Guid Company = Guid.Parse("7e000000-0000-0000-0000-0000000003c0");
    private static readonly Guid Sales = Guid.Parse("7e000000-0000-0000-0000-0000000003d1");
    private static readonly Guid North = Guid.Parse("7e000000-0000-0000-0000-0000000003d2");
    private static readonly Guid South = Guid.Parse("7e000000-0000-0000-0000-0000000003d3");
    private static readonly Guid Anna = Guid.Parse("7e000000-0000-0000-0000-0000000003a1");
    private static readonly Guid Ben = Guid.Parse("7e000000-0000-0000-0000-0000000003a2");
    private static readonly Guid Euro = Guid.Parse("7e000000-0000-0000-0000-0000000003a3");
    private static readonly DateTimeOffset T0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TreeFacts Admin = new(T0, new Poster("acme-admin", "corporate-admin"), null);

    private static IReadOnlyList<RecordedEvent> Recorded(params (int Hours, object Data)[] events) =>
        events.Select((e, i) => new RecordedEvent(i + 1, T0.AddHours(e.Hours), e.Data)).ToList();

    private static readonly IReadOnlyList<RecordedEvent> TreeStream = Recorded(
        (0, new CorporateCreated(Tree, "acme", Company, "Acme", T0)),
        (0, new CorporateNodeCreated(Tree, Sales, Company, "Sales", NodeKind.Division, T0)),
        (0, new CorporateNodeCreated(Tree, North, Sales, "North", NodeKind.CostCentre, T0)),
        (0, new CorporateNodeCreated(Tree, South, Sales, "South", NodeKind.CostCentre, T0)),
        (0, new CorporateMemberAdded(Tree, North, Anna, T0)), (0, new CorporateMemberAdded(Tree, South, Ben, T0)),
        (0, new CorporateMemberAdded(Tree, South, Euro, T0)),
        (1, new CorporateBillingChanged(Tree, Sales, BillingMode.ParentPays, "USD", T0.AddHours(1))),
        (30, new CorporateMemberMoved(Tree, Anna, North, South, T0.AddHours(30)))); // after the first cut-off

    private static AccountOpened Opened(Guid id, string number, string currency = "USD") =>
        new(id, number, "c-" + number, "Holder " + number, currency, 1, new Address("1 Road", null, "Town", "1000", "US"), T0);

    private static ChargePosted Charge(Guid account, int n, decimal amount, int hours) =>
        new(account, Guid.Parse($"7e000000-0000-0000-0001-{account.ToString()[^4..]}{n:D8}"), amount, $"Charge {n}", "voice", null, null, T0.AddHours(hours));

    private static Dictionary<Guid, IReadOnlyList<RecordedEvent>> Members() => new()
    {
        [Anna] = Recorded((0, Opened(Anna, "A-1")), (2, Charge(Anna, 1, 10m, 2)), (3, Charge(Anna, 2, 5.50m, 3)), (40, Charge(Anna, 3, 3m, 40))),
        [Ben] = Recorded((0, Opened(Ben, "B-1")), (4, Charge(Ben, 1, 20m, 4))),
        [Euro] = Recorded((0, Opened(Euro, "E-1", "EUR")), (4, Charge(Euro, 1, 99m, 4))),
    };

    [Fact]
    public void Given_a_tree_When_a_node_pays_for_its_members_Then_one_payer_per_member_in_one_currency()
    {
        var tree = ConsolidatedBilling.TreeAt(TreeStream, T0.AddHours(2))!;
        tree.PayerOf(Anna).Should().Be(Sales);
        tree.PayerOf(Guid.NewGuid()).Should().BeNull();
        new SetBilling(Tree, North, BillingMode.ParentPays, "USD").Decide(tree, Admin).ThenRejected("billing-nested", "nodeId");
        new SetBilling(Tree, Company, BillingMode.ParentPays, "USD").Decide(tree, Admin).ThenRejected("billing-nested", "nodeId");
        new SetBilling(Tree, Sales, BillingMode.ParentPays, "USD").Decide(tree, Admin).ThenConflict("billing-unchanged", Sales);
        new SetBilling(Tree, North, BillingMode.EachPays, null).Decide(tree, Admin).ThenConflict("billing-unchanged", North);
        new SetBilling(Tree, Sales, BillingMode.ParentPays, "XYZ").Decide(tree, Admin).ThenRejected("currency-unknown", "currency");
        new SetBilling(Tree, Sales, BillingMode.EachPays, null).Decide(tree, Admin)
            .ThenEvents(new CorporateBillingChanged(Tree, Sales, BillingMode.EachPays, null, T0));
        new SetBilling(Tree, North, BillingMode.ParentPays, "USD").Decide(tree, Admin with { Scope = South }).ThenRejected("node-not-found", "nodeId");

        // Nor can moving nodes nest two payers: a paying division does not move under another paying node.
        var other = Guid.Parse("7e000000-0000-0000-0000-0000000003d9");
        var two = CorporateTree.Evolve(CorporateTree.Evolve(tree, new CorporateNodeCreated(Tree, other, Company, "Other", NodeKind.Division, T0), 50),
            new CorporateBillingChanged(Tree, other, BillingMode.ParentPays, "USD", T0), 51)!;
        new MoveNode(Tree, Sales, other).Decide(two, Admin).ThenRejected("billing-nested", "parentId");
        new MoveNode(Tree, North, other).Decide(two, Admin).Events.Should().ContainSingle("a node holding no payer moves to another payer");
    }

    [Fact]
    public void Given_members_activity_When_composed_Then_a_section_per_member_and_cost_centre_that_sums_to_the_bill_and_moves_wait_for_the_next()
    {
        var cutoff = T0.AddHours(24);
        var first = ConsolidatedBilling.Compose(ConsolidatedBilling.TreeAt(TreeStream, cutoff)!, Sales, [], Members(), cutoff, Guid.Empty)!;
        first.Sections.Select(s => (s.AccountId, s.CostCentre, s.FromVersion, s.ThroughVersion, s.Total))
            .Should().Equal((Anna, "North", 0L, 3L, 15.50m), (Ben, "South", 0L, 2L, 20m)); // the EUR member keeps its own bills
        first.CostCentres.Select(c => (c.Path, c.Members, c.Total)).Should().Equal(("North", 1, 15.50m), ("South", 1, 20m));
        (first.PeriodStart, first.OpeningBalance, first.PeriodTotal, first.ClosingBalance, first.AmountDue, first.TreeVersion)
            .Should().Be((T0.AddHours(1), 0m, 35.50m, 35.50m, 35.50m, 8L));
        first.Sections.Sum(s => s.Lines.Sum(l => l.Amount)).Should().Be(first.PeriodTotal);

        // Anna moved at hour 30: on the next bill she is under South, with only what happened since.
        var later = T0.AddHours(48);
        var second = ConsolidatedBilling.Compose(ConsolidatedBilling.TreeAt(TreeStream, later)!, Sales, [first], Members(), later, Guid.Empty)!;
        second.Sections.Select(s => (s.AccountId, s.CostCentre, s.FromVersion, s.ThroughVersion, s.Total))
            .Should().Equal((Anna, "South", 3L, 4L, 3m), (Ben, "South", 2L, 2L, 0m));
        (second.PeriodStart, second.OpeningBalance, second.ClosingBalance).Should().Be((cutoff, 35.50m, 38.50m));

        // The same period is never billed twice.
        ConsolidatedBilling.Compose(ConsolidatedBilling.TreeAt(TreeStream, cutoff)!, Sales, [first], Members(), cutoff, Guid.Empty).Should().BeNull();
    }

    [Fact]
    public void Given_a_member_with_bills_of_its_own_When_its_node_starts_paying_Then_its_part_starts_after_what_its_own_bills_covered()
    {
        var members = Members();
        var ownBill = new StatementIssued(Ben, new StatementContent(Guid.Empty, Ben, "B-1", "Holder B-1", new Address("1 Road", null, "Town", "1000", "US"), "USD",
            T0, T0.AddHours(5), 0m, [], 20m, 20m, DateOnly.FromDateTime(T0.UtcDateTime), 2), 4, "sha", T0.AddHours(5));
        members[Ben] = [.. members[Ben], new RecordedEvent(3, T0.AddHours(5), ownBill), new RecordedEvent(4, T0.AddHours(6), Charge(Ben, 2, 1m, 6))];
        var cutoff = T0.AddHours(24);
        var bill = ConsolidatedBilling.Compose(ConsolidatedBilling.TreeAt(TreeStream, cutoff)!, Sales, [], members, cutoff, Guid.Empty)!;
        bill.Sections.Single(s => s.AccountId == Ben).Should().Match<MemberSection>(s => s.FromVersion == 2 && s.ThroughVersion == 4 && s.Total == 1m);
    }
}
