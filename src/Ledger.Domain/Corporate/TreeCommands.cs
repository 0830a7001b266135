using Ledger.Domain.Approvals;

namespace Ledger.Domain.Corporate;

/// <summary>
/// What a tree decision is given besides the tree: the moment, who acts, the node they administer (null: all of it), and for
/// a member account whether it exists and which tree, if any, it already belongs to.
/// </summary>
public sealed record TreeFacts(DateTimeOffset Now, Poster By, Guid? Scope)
{
    public bool AccountExists { get; init; }
    public Guid? AccountInTree { get; init; }

    /// <summary>For a charge being checked against its member's template: whether it was flagged already.</summary>
    public bool AlreadyFlagged { get; init; }
}

public interface ITreeCommand
{
    Guid TreeId { get; }

    /// <summary>The member account the decision needs to know about (null: none).</summary>
    Guid? AccountToRead => null;

    /// <summary>The charge whose flag the decision needs to know about, read once the tree is locked (null: none).</summary>
    Guid? FlagToRead => null;

    Decision Decide(CorporateTree? tree, TreeFacts facts);
}

/// <summary>The rules every tree command shares.</summary>
internal static class TreeRules
{
    public const string NodeNotFound = "node-not-found";

    public static Rejection NoTree(Guid treeId) => new("corporate-not-found", $"Corporate customer {treeId} does not exist.");

    /// <summary>A node the caller may administer: it exists, and lies within their scope (anything else is not found, as if absent).</summary>
    public static Rejection? Reachable(CorporateTree tree, Guid nodeId, TreeFacts facts, string field) =>
        tree.Nodes.ContainsKey(nodeId) && (facts.Scope is not { } scope || tree.IsWithin(nodeId, scope))
            ? null
            : new Rejection(NodeNotFound, $"Node {nodeId} does not exist in this tree or is outside what you administer.", field);

    public static Rejection? Open(CorporateTree tree, Guid nodeId, string field) =>
        tree.Nodes[nodeId].Closed ? new Rejection("node-closed", $"Node '{tree.Nodes[nodeId].Name}' is closed.", field) : null;

    public static Rejection? Name(string? name) =>
        string.IsNullOrWhiteSpace(name) ? new Rejection("required", "'name' is required.", "name")
        : name.Trim().Length > 100 ? new Rejection("too-long", "'name' is at most 100 characters.", "name")
        : name.Any(char.IsControl) ? new Rejection("name-invalid", "'name' contains control characters.", "name")
        : null;

    /// <summary>Two open nodes under one parent never share a name (reports and the portal name nodes by their path).</summary>
    public static Rejection? UniqueAmongSiblings(CorporateTree tree, Guid parentId, string name, Guid? self) =>
        tree.Nodes.Values.Any(n => n.ParentId == parentId && !n.Closed && n.Id != self && string.Equals(n.Name, name.Trim(), StringComparison.OrdinalIgnoreCase))
            ? new Rejection("node-name-taken", $"'{tree.Nodes[parentId].Name}' already has a node named '{name.Trim()}'.", IsConflict: true, Reference: parentId)
            : null;
}

/// <summary>Open a corporate customer: its tree with the company at the root.</summary>
public sealed record CreateCorporate(Guid TreeId, string CorporateId, Guid RootNodeId, string Name) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is not null)
            return Decision.Reject(new Rejection("corporate-exists", $"Corporate customer '{CorporateId}' already exists.", IsConflict: true, Reference: TreeId));
        if (!Accounts.Opening.CustomerIds.IsValid(CorporateId))
            return Decision.Reject("corporate-id-invalid", "'corporateId' is 1 to 64 letters, digits, '.', '_', ':' or '-'.", "corporateId");
        return TreeRules.Name(Name) is { } bad
            ? Decision.Reject(bad)
            : Decision.Accept(new CorporateCreated(TreeId, CorporateId, RootNodeId, Name.Trim(), facts.Now));
    }
}

public sealed record CreateNode(Guid TreeId, Guid NodeId, Guid ParentId, string Name, NodeKind Kind) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, ParentId, facts, "parentId") ?? TreeRules.Open(tree, ParentId, "parentId") ?? TreeRules.Name(Name)) is { } bad)
            return Decision.Reject(bad);
        if (Kind == NodeKind.Company)
            return Decision.Reject("node-kind-invalid", "The company is the root of its tree; under it are divisions and cost centres.", "kind");
        if (tree.Nodes.ContainsKey(NodeId))
            return Decision.Reject(new Rejection("node-exists", $"Node {NodeId} already exists.", IsConflict: true, Reference: NodeId));
        if (tree.Depth(ParentId) + 1 > CorporateTree.MaxDepth)
            return Decision.Reject("tree-too-deep", $"A tree is at most {CorporateTree.MaxDepth} levels deep; '{tree.Nodes[ParentId].Name}' is at level {tree.Depth(ParentId)}.",
                "parentId");
        return TreeRules.UniqueAmongSiblings(tree, ParentId, Name, null) is { } taken
            ? Decision.Reject(taken)
            : Decision.Accept(new CorporateNodeCreated(TreeId, NodeId, ParentId, Name.Trim(), Kind, facts.Now));
    }
}

public sealed record RenameNode(Guid TreeId, Guid NodeId, string Name) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, NodeId, facts, "nodeId") ?? TreeRules.Open(tree, NodeId, "nodeId") ?? TreeRules.Name(Name)) is { } bad)
            return Decision.Reject(bad);
        var node = tree.Nodes[NodeId];
        if (node.Name == Name.Trim())
            return Decision.Reject(new Rejection("node-unchanged", $"Node '{node.Name}' already has that name.", IsConflict: true, Reference: NodeId));
        return node.ParentId is { } parent && TreeRules.UniqueAmongSiblings(tree, parent, Name, NodeId) is { } taken
            ? Decision.Reject(taken)
            : Decision.Accept(new CorporateNodeRenamed(TreeId, NodeId, Name.Trim(), facts.Now));
    }
}

/// <summary>Move a node (and everything under it) under another: never under itself or its own descendants, never deeper than eight levels.</summary>
public sealed record MoveNode(Guid TreeId, Guid NodeId, Guid ToParentId) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, NodeId, facts, "nodeId") ?? TreeRules.Reachable(tree, ToParentId, facts, "parentId")
             ?? TreeRules.Open(tree, NodeId, "nodeId") ?? TreeRules.Open(tree, ToParentId, "parentId")) is { } bad)
            return Decision.Reject(bad);
        var node = tree.Nodes[NodeId];
        if (node.ParentId is not { } from || (facts.Scope is { } scope && NodeId == scope))
            return Decision.Reject("node-not-movable", $"'{node.Name}' is the root of what is administered here; it cannot be moved.", "nodeId");
        if (tree.IsWithin(ToParentId, NodeId))
            return Decision.Reject("tree-cycle", $"'{tree.Nodes[ToParentId].Name}' lies under '{node.Name}': a node cannot move under itself or its own descendants.",
                "parentId");
        if (from == ToParentId)
            return Decision.Reject(new Rejection("node-unchanged", $"'{node.Name}' is already under '{tree.Nodes[ToParentId].Name}'.", IsConflict: true, Reference: NodeId));
        if (tree.Depth(ToParentId) + tree.Height(NodeId) > CorporateTree.MaxDepth)
            return Decision.Reject("tree-too-deep",
                $"Moved there, '{node.Name}' and the {tree.Height(NodeId)} level(s) it spans would reach level {tree.Depth(ToParentId) + tree.Height(NodeId)}; " +
                $"a tree is at most {CorporateTree.MaxDepth} levels deep.", "parentId");
        // A member has one payer: a subtree holding a paying node never moves under another.
        if (tree.Billing.Keys.Any(n => tree.IsWithin(n, NodeId)) && tree.PathUp(ToParentId).Any(n => tree.Billing.ContainsKey(n.Id)))
            return Decision.Reject("billing-nested",
                $"'{node.Name}' holds a node that pays for its members, and '{tree.Nodes[ToParentId].Name}' lies under another: a member has one payer.",
                "parentId");
        return TreeRules.UniqueAmongSiblings(tree, ToParentId, node.Name, NodeId) is { } taken
            ? Decision.Reject(taken)
            : Decision.Accept(new CorporateNodeMoved(TreeId, NodeId, from, ToParentId, facts.Now));
    }
}

/// <summary>Close a node that has nothing open under it and no members.</summary>
public sealed record CloseNode(Guid TreeId, Guid NodeId) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, NodeId, facts, "nodeId") ?? TreeRules.Open(tree, NodeId, "nodeId")) is { } bad)
            return Decision.Reject(bad);
        var node = tree.Nodes[NodeId];
        if (node.ParentId is null)
            return Decision.Reject("node-not-closable", "The company is the tree itself; it is not closed as a node.", "nodeId");
        var openChildren = tree.Nodes.Values.Count(n => n.ParentId == NodeId && !n.Closed);
        var members = tree.Members.Count(m => m.Value == NodeId);
        return openChildren > 0 || members > 0
            ? Decision.Reject(new Rejection("node-not-empty",
                $"'{node.Name}' still has {openChildren} open node(s) and {members} member(s) under it; move or close them first.", IsConflict: true, Reference: NodeId))
            : Decision.Accept(new CorporateNodeClosed(TreeId, NodeId, facts.Now));
    }
}

/// <summary>Put an existing ledger account under a node; an account belongs to one tree at most.</summary>
public sealed record AddMember(Guid TreeId, Guid NodeId, Guid AccountId) : ITreeCommand
{
    public Guid? AccountToRead => AccountId;

    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, NodeId, facts, "nodeId") ?? TreeRules.Open(tree, NodeId, "nodeId")) is { } bad)
            return Decision.Reject(bad);
        if (!facts.AccountExists)
            return Decision.Reject("account-not-found", $"Account {AccountId} does not exist.", "accountId");
        if (tree.Members.TryGetValue(AccountId, out var at))
            return Decision.Reject(new Rejection("member-exists", $"Account {AccountId} is already a member, under '{tree.Nodes[at].Name}'; move it instead.",
                IsConflict: true, Reference: at));
        return facts.AccountInTree is { } other && other != TreeId
            ? Decision.Reject(new Rejection("member-of-another-tree", $"Account {AccountId} is a member of another corporate customer's tree; an account belongs to one.",
                "accountId", IsConflict: true))
            : Decision.Accept(new CorporateMemberAdded(TreeId, NodeId, AccountId, facts.Now));
    }
}

public sealed record MoveMember(Guid TreeId, Guid AccountId, Guid ToNodeId) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if (!tree.Members.TryGetValue(AccountId, out var from) || TreeRules.Reachable(tree, from, facts, "accountId") is not null)
            return Decision.Reject("member-not-found", $"Account {AccountId} is not a member under what you administer.", "accountId");
        if ((TreeRules.Reachable(tree, ToNodeId, facts, "nodeId") ?? TreeRules.Open(tree, ToNodeId, "nodeId")) is { } bad)
            return Decision.Reject(bad);
        return from == ToNodeId
            ? Decision.Reject(new Rejection("member-unchanged", $"Account {AccountId} is already under '{tree.Nodes[from].Name}'.", IsConflict: true, Reference: from))
            : Decision.Accept(new CorporateMemberMoved(TreeId, AccountId, from, ToNodeId, facts.Now));
    }
}

public sealed record RemoveMember(Guid TreeId, Guid AccountId) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        return !tree.Members.TryGetValue(AccountId, out var from) || TreeRules.Reachable(tree, from, facts, "accountId") is not null
            ? Decision.Reject("member-not-found", $"Account {AccountId} is not a member under what you administer.", "accountId")
            : Decision.Accept(new CorporateMemberRemoved(TreeId, AccountId, from, facts.Now));
    }
}
