using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>
/// A corporate customer's tree: company → divisions → cost centres → member accounts. Each step folds what was decided,
/// as the event store would.
/// </summary>
public class TreeRulesTests
{
    private static readonly Guid Tree = Guid.Parse("7e000000-0000-0000-0000-000000000001");
    private static readonly Guid Company = Guid.Parse("7e000000-0000-0000-0000-0000000000c0");
    private static readonly Guid Sales = Guid.Parse("7e000000-0000-0000-0000-0000000000d1");
    private static readonly Guid Ops = Guid.Parse("7e000000-0000-0000-0000-0000000000d2");
    private static readonly Guid SalesNorth = Guid.Parse("7e000000-0000-0000-0000-0000000000e1");
    private static readonly Guid Phone = Guid.Parse("7e000000-0000-0000-0000-0000000000a1");
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly Poster Admin = new("acme-admin", "corporate-admin");

    private sealed class Walk
    {
        public CorporateTree? State;
        private long _version;

        public Decision Do(ITreeCommand command, Guid? scope = null, bool accountExists = true, Guid? accountInTree = null)
        {
            var decision = command.Decide(State, new TreeFacts(Now, Admin, scope) { AccountExists = accountExists, AccountInTree = accountInTree });
            foreach (var e in decision.Events)
                State = CorporateTree.Evolve(State, e, ++_version);
            return decision;
        }
    }

    private static Walk ThreeLevels()
    {
        var walk = new Walk();
        walk.Do(new CreateCorporate(Tree, "acme", Company, "Acme Ltd")).IsAccepted.Should().BeTrue();
        walk.Do(new CreateNode(Tree, Sales, Company, "Sales", NodeKind.Division)).IsAccepted.Should().BeTrue();
        walk.Do(new CreateNode(Tree, Ops, Company, "Operations", NodeKind.Division)).IsAccepted.Should().BeTrue();
        walk.Do(new CreateNode(Tree, SalesNorth, Sales, "North", NodeKind.CostCentre)).IsAccepted.Should().BeTrue();
        walk.Do(new AddMember(Tree, SalesNorth, Phone)).IsAccepted.Should().BeTrue();
        return walk;
    }

    [Fact]
    public void Given_a_three_level_tree_Then_every_node_knows_its_path_depth_and_the_members_under_it()
    {
        var tree = ThreeLevels().State!;
        tree.PathUp(SalesNorth).Select(n => n.Name).Should().Equal("North", "Sales", "Acme Ltd");
        (tree.Depth(Company), tree.Depth(SalesNorth), tree.Height(Company)).Should().Be((1, 3, 3));
        tree.MembersUnder(Company).Should().Equal(Phone);
        tree.MembersUnder(Ops).Should().BeEmpty();
    }

    [Fact]
    public void Given_a_node_When_it_is_moved_under_itself_or_its_own_descendant_Then_422_names_the_cycle_and_nothing_moves()
    {
        var walk = ThreeLevels();
        walk.Do(new MoveNode(Tree, Sales, SalesNorth)).ThenRejected("tree-cycle", "parentId");
        walk.Do(new MoveNode(Tree, Sales, Sales)).ThenRejected("tree-cycle", "parentId");
        walk.Do(new MoveNode(Tree, Company, Ops)).ThenRejected("node-not-movable", "nodeId");
        walk.Do(new MoveNode(Tree, SalesNorth, Ops)).ThenEvents(new CorporateNodeMoved(Tree, SalesNorth, Sales, Ops, Now));
        walk.State!.MembersUnder(Ops).Should().Equal(new[] { Phone }, "the member moves with its node");
    }

    [Fact]
    public void Given_a_chain_eight_levels_deep_Then_a_ninth_level_is_refused_whether_created_or_moved_there()
    {
        var walk = ThreeLevels();
        var parent = SalesNorth;
        var chain = new List<Guid>();
        for (var level = 4; level <= 8; level++)
        {
            var node = Guid.NewGuid();
            walk.Do(new CreateNode(Tree, node, parent, $"Level {level}", NodeKind.CostCentre)).IsAccepted.Should().BeTrue($"level {level} is allowed");
            chain.Add(node);
            parent = node;
        }
        walk.State!.Depth(parent).Should().Be(8);
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), parent, "Level 9", NodeKind.CostCentre)).ThenRejected("tree-too-deep", "parentId");

        // Operations has a child of its own: moved under level 7 it would put that child at level 9.
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), Ops, "Ops team", NodeKind.CostCentre)).IsAccepted.Should().BeTrue();
        walk.Do(new MoveNode(Tree, Ops, chain[^2])).ThenRejected("tree-too-deep", "parentId");
        walk.Do(new MoveNode(Tree, Ops, chain[^3])).IsAccepted.Should().BeTrue("two levels under level 6 reach exactly 8");
    }

    [Fact]
    public void Given_an_account_When_it_is_added_to_a_second_tree_or_twice_to_one_Then_it_is_refused()
    {
        var walk = ThreeLevels();
        walk.Do(new AddMember(Tree, Ops, Phone)).ThenConflict("member-exists", SalesNorth);
        var other = Guid.NewGuid();
        walk.Do(new AddMember(Tree, Ops, other), accountInTree: Guid.NewGuid()).Rejection!.Rule.Should().Be("member-of-another-tree");
        walk.Do(new AddMember(Tree, Ops, other), accountExists: false).ThenRejected("account-not-found", "accountId");
        walk.Do(new MoveMember(Tree, Phone, Ops)).ThenEvents(new CorporateMemberMoved(Tree, Phone, SalesNorth, Ops, Now));
        walk.Do(new RemoveMember(Tree, Phone)).ThenEvents(new CorporateMemberRemoved(Tree, Phone, Ops, Now));
        walk.State!.Members.Should().BeEmpty();
    }

    [Fact]
    public void Given_an_admin_of_one_division_Then_the_rest_of_the_tree_is_not_found_to_them_and_their_division_cannot_be_moved_away()
    {
        var walk = ThreeLevels();
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), Ops, "Depot", NodeKind.CostCentre), scope: Sales).ThenRejected("node-not-found", "parentId");
        walk.Do(new MoveMember(Tree, Phone, Ops), scope: Sales).ThenRejected("node-not-found", "nodeId");
        walk.Do(new RenameNode(Tree, Company, "Acme plc"), scope: Sales).ThenRejected("node-not-found", "nodeId");
        walk.Do(new MoveNode(Tree, Sales, Ops), scope: Sales).ThenRejected("node-not-found", "parentId");
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), SalesNorth, "North East", NodeKind.CostCentre), scope: Sales).IsAccepted.Should().BeTrue();
    }

    [Fact]
    public void Given_nodes_Then_names_are_unique_among_open_siblings_and_a_node_closes_only_when_empty()
    {
        var walk = ThreeLevels();
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), Company, "sales", NodeKind.Division)).ThenConflict("node-name-taken", Company);
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), Company, "Acme", NodeKind.Company)).ThenRejected("node-kind-invalid", "kind");
        walk.Do(new RenameNode(Tree, Ops, "  ")).ThenRejected("required", "name");
        walk.Do(new CloseNode(Tree, SalesNorth)).ThenConflict("node-not-empty", SalesNorth);
        walk.Do(new RemoveMember(Tree, Phone)).IsAccepted.Should().BeTrue();
        walk.Do(new CloseNode(Tree, SalesNorth)).ThenEvents(new CorporateNodeClosed(Tree, SalesNorth, Now));
        walk.Do(new AddMember(Tree, SalesNorth, Phone)).ThenRejected("node-closed", "nodeId");
        walk.Do(new CloseNode(Tree, Company)).ThenRejected("node-not-closable", "nodeId");
        walk.Do(new CreateNode(Tree, Guid.NewGuid(), Sales, "North", NodeKind.CostCentre)).IsAccepted.Should().BeTrue("the closed North's name is free again");
    }
}
