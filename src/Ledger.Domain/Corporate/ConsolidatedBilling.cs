using Ledger.Domain.Accounts;
using Ledger.Domain.Statements;

namespace Ledger.Domain.Corporate;

/// <summary>How a node's members are billed: each on its own bill (as any account), or all on one bill the node pays.</summary>
public enum BillingMode { EachPays, ParentPays }

/// <summary>
/// A node's billing: parent pays in <see cref="Currency"/> (its members in that currency are billed on one consolidated bill
/// for the node, and owe nothing on bills of their own), or each pays again.
/// </summary>
public sealed record CorporateBillingChanged(Guid TreeId, Guid NodeId, BillingMode Mode, string? Currency, DateTimeOffset SetAt);

/// <summary>One member's part of a consolidated bill: its activity between the versions of its stream the bill covers.</summary>
public sealed record MemberSection(Guid AccountId, string AccountNumber, string HolderName, Guid NodeId, string CostCentre, long FromVersion,
    long ThroughVersion, IReadOnlyList<StatementLine> Lines, decimal Total);

/// <summary>A node's members' total on the bill (every node under the paying one that has members, by its path from it).</summary>
public sealed record CostCentreTotal(Guid NodeId, string Path, int Members, decimal Total);

/// <summary>
/// Everything printed on a consolidated bill, exactly as issued. <see cref="TreeVersion"/> is the tree's version its
/// members were taken from: the tree as it stood at the cut-off, so a member moved during the run moves on the next bill.
/// </summary>
public sealed record ConsolidatedContent(
    Guid BillId, Guid TreeId, string CorporateId, Guid PayingNodeId, string PayerName, string Currency, DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd, long TreeVersion, decimal OpeningBalance, IReadOnlyList<MemberSection> Sections, IReadOnlyList<CostCentreTotal> CostCentres,
    decimal PeriodTotal, decimal ClosingBalance, decimal AmountDue, DateOnly DueDate);

/// <summary>A consolidated bill was issued, on the paying node's bill stream: its content, template version and the SHA-256 of its document.</summary>
public sealed record ConsolidatedBillIssued(Guid TreeId, Guid PayingNodeId, ConsolidatedContent Content, int TemplateVersion, string DocumentSha256,
    DateTimeOffset IssuedAt);

/// <summary>Someone took a copy of a consolidated bill (who, in the metadata).</summary>
public sealed record ConsolidatedBillReprinted(Guid TreeId, Guid BillId, string DocumentSha256, DateTimeOffset ReprintedAt);

public sealed record SetBilling(Guid TreeId, Guid NodeId, BillingMode Mode, string? Currency) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TreeRules.Reachable(tree, NodeId, facts, "nodeId") ?? TreeRules.Open(tree, NodeId, "nodeId")) is { } bad)
            return Decision.Reject(bad);
        var current = tree.Billing.GetValueOrDefault(NodeId);
        if (Mode == BillingMode.EachPays)
            return current is null
                ? Decision.Reject(new Rejection("billing-unchanged", $"'{tree.Nodes[NodeId].Name}' is not billed for its members.", IsConflict: true, Reference: NodeId))
                : Decision.Accept(new CorporateBillingChanged(TreeId, NodeId, BillingMode.EachPays, null, facts.Now));
        if (Currency is null || !Money.Currency.TryFind(Currency, out var currency))
            return Decision.Reject("currency-unknown", "A paying node bills in one ISO 4217 'currency'.", "currency");
        if (current == currency.Code)
            return Decision.Reject(new Rejection("billing-unchanged", $"'{tree.Nodes[NodeId].Name}' already pays for its members in {current}.", IsConflict: true,
                Reference: NodeId));
        // One payer per member: no paying node above or below another.
        var nested = tree.Billing.Keys.Where(n => n != NodeId && (tree.IsWithin(n, NodeId) || tree.IsWithin(NodeId, n))).Select(n => tree.Nodes[n].Name).FirstOrDefault();
        return nested is not null
            ? Decision.Reject("billing-nested", $"'{nested}' already pays for members above or below '{tree.Nodes[NodeId].Name}'; a member has one payer.", "nodeId")
            : Decision.Accept(new CorporateBillingChanged(TreeId, NodeId, BillingMode.ParentPays, currency.Code, facts.Now));
    }
}

public static class ConsolidatedBilling
{
    public static Guid BillStreamFor(Guid payingNodeId) => DeterministicId.From($"consolidated-bills|{payingNodeId}");

    public static Guid BillIdFor(Guid payingNodeId, DateTimeOffset cutoff) => DeterministicId.From($"consolidated-bill\u001f{payingNodeId}\u001f{cutoff.UtcTicks}");

    /// <summary>The tree as it stood at <paramref name="cutoff"/>: its events in version order up to the first committed after it.</summary>
    public static CorporateTree? TreeAt(IReadOnlyList<RecordedEvent> treeStream, DateTimeOffset cutoff) =>
        treeStream.OrderBy(e => e.Version).TakeWhile(e => e.RecordedAt <= cutoff).Aggregate((CorporateTree?)null, (t, e) => CorporateTree.Evolve(t, e.Data, e.Version));

    /// <summary>
    /// The consolidated bill for <paramref name="payingNodeId"/> closing at <paramref name="cutoff"/>, from the tree as it stood
    /// then, the bills issued before (<paramref name="previous"/>, oldest first) and each member's recorded events; null when
    /// the period is already billed, or the node did not pay for its members then.
    /// Each member's part runs from the version after the last one billed — on an earlier consolidated bill or on a bill of
    /// its own — to the first of its events committed after the cut-off, with the same lines its own bill would print.
    /// Members in another currency than the payer's keep their own bills and are not on it.
    /// </summary>
    public static ConsolidatedContent? Compose(CorporateTree treeAtCutoff, Guid payingNodeId, IReadOnlyList<ConsolidatedContent> previous,
        IReadOnlyDictionary<Guid, IReadOnlyList<RecordedEvent>> memberStreams, DateTimeOffset cutoff, Guid billId)
    {
        var last = previous.Count > 0 ? previous[^1] : null;
        if (last is not null && cutoff <= last.PeriodEnd)
            return null;
        if (treeAtCutoff.Billing.GetValueOrDefault(payingNodeId) is not { } currency || !treeAtCutoff.Nodes.TryGetValue(payingNodeId, out var payer))
            return null;
        var billedThrough = previous.SelectMany(b => b.Sections).GroupBy(s => s.AccountId).ToDictionary(g => g.Key, g => g.Max(s => s.ThroughVersion));
        var sections = new List<MemberSection>();
        foreach (var accountId in treeAtCutoff.MembersUnder(payingNodeId))
        {
            // Up to the first event committed after the cut-off (racing writers' timestamps can be out of version order).
            var upToCutoff = (memberStreams.GetValueOrDefault(accountId) ?? []).OrderBy(e => e.Version).TakeWhile(e => e.RecordedAt <= cutoff).ToList();
            var ownBilledThrough = upToCutoff.Select(e => e.Data).OfType<StatementIssued>().Select(s => s.Content.CoveredThroughVersion).DefaultIfEmpty(0).Max();
            var from = Math.Max(billedThrough.GetValueOrDefault(accountId), ownBilledThrough);
            var covered = upToCutoff.Where(e => e.Version > from).ToList();
            var through = covered.Count == 0 ? from : covered[^1].Version;
            var history = upToCutoff.Where(e => e.Version <= through).ToList();
            if (history.Select(e => e.Data).Aggregate((Account?)null, Account.Evolve) is not { } account || account.Currency != currency)
                continue;
            var lines = Composing.Lines(history, covered);
            var node = treeAtCutoff.Members[accountId];
            sections.Add(new MemberSection(accountId, account.AccountNumber, account.HolderName, node, PathFrom(treeAtCutoff, payingNodeId, node), from, through,
                lines, lines.Sum(l => l.Amount)));
        }
        sections = sections.OrderBy(s => s.CostCentre, StringComparer.Ordinal).ThenBy(s => s.AccountNumber, StringComparer.Ordinal).ToList();
        var centres = sections.GroupBy(s => (s.NodeId, s.CostCentre)).Select(g => new CostCentreTotal(g.Key.NodeId, g.Key.CostCentre, g.Count(), g.Sum(s => s.Total)))
            .ToList();
        var opening = last?.ClosingBalance ?? 0m;
        var total = sections.Sum(s => s.Total);
        var closing = opening + total;
        if (last is not null && closing == 0m && sections.All(s => s.Lines.Count == 0))
            return null; // nothing happened and nothing is owed: no bill
        return new ConsolidatedContent(billId, treeAtCutoff.Id, treeAtCutoff.CorporateId, payingNodeId, payer.Name, currency,
            last?.PeriodEnd ?? treeAtCutoff.BillingSince.GetValueOrDefault(payingNodeId), cutoff, treeAtCutoff.Version, opening, sections, centres, total, closing,
            Math.Max(0m, closing), DateOnly.FromDateTime(cutoff.UtcDateTime).AddDays(Composing.DaysToPay));
    }

    /// <summary>The node's path from the paying node (which is "" for members directly under it), names joined by " / ".</summary>
    private static string PathFrom(CorporateTree tree, Guid payingNodeId, Guid nodeId) =>
        string.Join(" / ", tree.PathUp(nodeId).TakeWhile(n => n.Id != payingNodeId).Reverse().Select(n => n.Name));
}
