namespace Ledger.Domain.Corporate;

/// <summary>What a node of a corporate tree is: the company at its root, a division, a cost centre.</summary>
public enum NodeKind { Company, Division, CostCentre }

// Every fact about a corporate customer's tree, on the tree's own stream: the nodes are entities with a life of their own
// (created, renamed, moved, closed), and the rules that span them — no cycles, no deeper than eight levels, one tree per
// member account — are decided on one stream, so two admins moving nodes at once can never make a cycle between them.

/// <summary>A corporate customer: its tree, with the company as its root node.</summary>
public sealed record CorporateCreated(Guid TreeId, string CorporateId, Guid RootNodeId, string Name, DateTimeOffset CreatedAt);

public sealed record CorporateNodeCreated(Guid TreeId, Guid NodeId, Guid ParentId, string Name, NodeKind Kind, DateTimeOffset CreatedAt);

public sealed record CorporateNodeRenamed(Guid TreeId, Guid NodeId, string Name, DateTimeOffset RenamedAt);

public sealed record CorporateNodeMoved(Guid TreeId, Guid NodeId, Guid FromParentId, Guid ToParentId, DateTimeOffset MovedAt);

/// <summary>A node closed: it has no open children and no members left; it stays on the record (and in as-of reads).</summary>
public sealed record CorporateNodeClosed(Guid TreeId, Guid NodeId, DateTimeOffset ClosedAt);

/// <summary>An ordinary ledger account becomes a member of the tree, under <see cref="NodeId"/>.</summary>
public sealed record CorporateMemberAdded(Guid TreeId, Guid NodeId, Guid AccountId, DateTimeOffset AddedAt);

public sealed record CorporateMemberMoved(Guid TreeId, Guid AccountId, Guid FromNodeId, Guid ToNodeId, DateTimeOffset MovedAt);

public sealed record CorporateMemberRemoved(Guid TreeId, Guid AccountId, Guid NodeId, DateTimeOffset RemovedAt);

public static class CorporateEventTypes
{
    public static readonly Type[] All =
    [
        typeof(CorporateCreated), typeof(CorporateNodeCreated), typeof(CorporateNodeRenamed), typeof(CorporateNodeMoved), typeof(CorporateNodeClosed),
        typeof(CorporateMemberAdded), typeof(CorporateMemberMoved), typeof(CorporateMemberRemoved), typeof(CorporateBudgetDefined), typeof(CorporateBudgetAlerted),
        typeof(CorporateTemplateDefined), typeof(CorporateTemplateAssigned), typeof(CorporateTemplateUnassigned), typeof(CorporateChargeFlagged),
        typeof(CorporateBillingChanged), typeof(CorporateContactChanged),
    ];
}
