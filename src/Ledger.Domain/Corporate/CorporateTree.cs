namespace Ledger.Domain.Corporate;

public sealed record TreeNode(Guid Id, Guid? ParentId, string Name, NodeKind Kind, bool Closed);

/// <summary>One corporate customer's tree as its stream says it stands: its nodes and which node each member account is under.</summary>
public sealed record CorporateTree
{
    /// <summary>Deeper than this (the company is level 1) no node may sit.</summary>
    public const int MaxDepth = 8;

    public Guid Id { get; init; }
    public long Version { get; init; }
    public string CorporateId { get; init; } = "";
    public Guid RootId { get; init; }
    public IReadOnlyDictionary<Guid, TreeNode> Nodes { get; init; } = new Dictionary<Guid, TreeNode>();

    /// <summary>Member account → the node it is under.</summary>
    public IReadOnlyDictionary<Guid, Guid> Members { get; init; } = new Dictionary<Guid, Guid>();

    /// <summary>Monthly budgets by node or member account.</summary>
    public IReadOnlyDictionary<Guid, Budget> Budgets { get; init; } = new Dictionary<Guid, Budget>();

    /// <summary>The alerts raised (<see cref="AlertKey"/>): each once per target, month and threshold.</summary>
    public IReadOnlyList<string> Alerted { get; init; } = [];

    /// <summary>Profile templates by code.</summary>
    public IReadOnlyDictionary<string, ProfileTemplate> Templates { get; init; } = new Dictionary<string, ProfileTemplate>();

    /// <summary>Member account → the code of the template it was given.</summary>
    public IReadOnlyDictionary<Guid, string> MemberTemplates { get; init; } = new Dictionary<Guid, string>();

    /// <summary>
    /// The budgets in force: those set on nodes and members, and for a member without one of its own, its template's.
    /// </summary>
    public IReadOnlyList<(Budget Budget, string? FromTemplate)> EffectiveBudgets() =>
        Budgets.Values.Select(b => (b, (string?)null))
            .Concat(MemberTemplates.Where(m => !Budgets.ContainsKey(m.Key) && Templates[m.Value] is { MonthlyBudget: not null })
                .Select(m => (new Budget(m.Key, Templates[m.Value].MonthlyBudget!.Value, Templates[m.Value].Currency!, SetBudget.DefaultThresholds),
                    (string?)m.Value)))
            .OrderBy(b => b.Item1.TargetId).ToList();

    /// <summary>Who hears of the tree's alerts by e-mail (null: nobody yet).</summary>
    public CorporateContact? Contact { get; init; }

    /// <summary>Nodes that pay for their members → the currency they are billed in.</summary>
    public IReadOnlyDictionary<Guid, string> Billing { get; init; } = new Dictionary<Guid, string>();

    /// <summary>Paying nodes → since when (the first consolidated bill's period starts there).</summary>
    public IReadOnlyDictionary<Guid, DateTimeOffset> BillingSince { get; init; } = new Dictionary<Guid, DateTimeOffset>();

    /// <summary>The node paying for a member account, if one does (at most one: paying nodes are never nested).</summary>
    public Guid? PayerOf(Guid accountId) =>
        Members.TryGetValue(accountId, out var at) ? PathUp(at).Select(n => (Guid?)n.Id).FirstOrDefault(n => Billing.ContainsKey(n!.Value)) : null;

    public static string AlertKey(Guid targetId, string month, int threshold) => $"{targetId:N}|{month}|{threshold}";

    public static Guid StreamIdFor(string corporateId) => DeterministicId.From($"corporate-tree|{corporateId}");

    public static CorporateTree? Evolve(CorporateTree? tree, object @event, long version)
    {
        var next = Fold(tree, @event);
        return next is null ? null : next with { Version = version };
    }

    private static CorporateTree? Fold(CorporateTree? t, object @event) => (t, @event) switch
    {
        (null, CorporateCreated e) => new CorporateTree
        {
            Id = e.TreeId, CorporateId = e.CorporateId, RootId = e.RootNodeId,
            Nodes = new Dictionary<Guid, TreeNode> { [e.RootNodeId] = new(e.RootNodeId, null, e.Name, NodeKind.Company, false) },
        },
        (null, _) => null,
        (_, CorporateNodeCreated e) => t with { Nodes = With(t.Nodes, e.NodeId, new TreeNode(e.NodeId, e.ParentId, e.Name, e.Kind, false)) },
        (_, CorporateNodeRenamed e) => t with { Nodes = With(t.Nodes, e.NodeId, t.Nodes[e.NodeId] with { Name = e.Name }) },
        (_, CorporateNodeMoved e) => t with { Nodes = With(t.Nodes, e.NodeId, t.Nodes[e.NodeId] with { ParentId = e.ToParentId }) },
        (_, CorporateNodeClosed e) => t with { Nodes = With(t.Nodes, e.NodeId, t.Nodes[e.NodeId] with { Closed = true }) },
        (_, CorporateMemberAdded e) => t with { Members = With(t.Members, e.AccountId, e.NodeId) },
        (_, CorporateMemberMoved e) => t with { Members = With(t.Members, e.AccountId, e.ToNodeId) },
        (_, CorporateMemberRemoved e) => t with
        {
            Members = t.Members.Where(m => m.Key != e.AccountId).ToDictionary(),
            MemberTemplates = t.MemberTemplates.Where(m => m.Key != e.AccountId).ToDictionary(),
        },
        (_, CorporateBudgetDefined e) => t with { Budgets = With(t.Budgets, e.TargetId, new Budget(e.TargetId, e.Amount, e.Currency, e.Thresholds)) },
        (_, CorporateBillingChanged { Mode: BillingMode.ParentPays } e) => t with
        {
            Billing = With(t.Billing, e.NodeId, e.Currency!), BillingSince = With(t.BillingSince, e.NodeId, e.SetAt),
        },
        (_, CorporateBillingChanged e) => t with
        {
            Billing = t.Billing.Where(b => b.Key != e.NodeId).ToDictionary(), BillingSince = t.BillingSince.Where(b => b.Key != e.NodeId).ToDictionary(),
        },
        (_, CorporateContactChanged e) => t with { Contact = new CorporateContact(e.Name, e.Email) },
        (_, CorporateTemplateDefined e) => t with
        {
            Templates = With(t.Templates, e.Code, new ProfileTemplate(e.Code, e.Name, e.MonthlyBudget, e.Currency, e.AllowedCategories)),
        },
        (_, CorporateTemplateAssigned e) => t with { MemberTemplates = With(t.MemberTemplates, e.AccountId, e.Code) },
        (_, CorporateTemplateUnassigned e) => t with { MemberTemplates = t.MemberTemplates.Where(m => m.Key != e.AccountId).ToDictionary() },
        (_, CorporateBudgetAlerted e) => t with { Alerted = [.. t.Alerted, AlertKey(e.TargetId, e.Month, e.Threshold)] },
        _ => t,
    };

    private static Dictionary<TKey, TValue> With<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> map, TKey key, TValue value) where TKey : notnull =>
        new(map) { [key] = value };

    /// <summary>The node and its ancestors, nearest first, up to the company.</summary>
    public IEnumerable<TreeNode> PathUp(Guid nodeId)
    {
        for (Guid? at = nodeId; at is { } id && Nodes.TryGetValue(id, out var node); at = node.ParentId)
            yield return node;
    }

    /// <summary>The level a node sits at: the company is 1.</summary>
    public int Depth(Guid nodeId) => PathUp(nodeId).Count();

    /// <summary>How many levels the subtree under <paramref name="nodeId"/> spans, the node itself included.</summary>
    public int Height(Guid nodeId) =>
        1 + Nodes.Values.Where(n => n.ParentId == nodeId).Select(n => Height(n.Id)).DefaultIfEmpty(0).Max();

    /// <summary>Whether <paramref name="nodeId"/> is <paramref name="ancestorId"/> or lies under it.</summary>
    public bool IsWithin(Guid nodeId, Guid ancestorId) => PathUp(nodeId).Any(n => n.Id == ancestorId);

    /// <summary>The node and every node under it.</summary>
    public IReadOnlyList<Guid> Subtree(Guid nodeId) => Nodes.Keys.Where(id => IsWithin(id, nodeId)).ToList();

    /// <summary>The member accounts under the node, at any depth.</summary>
    public IReadOnlyList<Guid> MembersUnder(Guid nodeId) => Members.Where(m => IsWithin(m.Value, nodeId)).Select(m => m.Key).ToList();
}
