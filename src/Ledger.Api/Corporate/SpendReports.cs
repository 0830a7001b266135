using Ledger.Domain.Corporate;
using Marten;

namespace Ledger.Api.Corporate;

/// <summary>
/// What the members under the caller's node (<see cref="RootId"/>) spent from <see cref="From"/> to <see cref="To"/>: per month,
/// node (everything under it), member account and category, against the budgets that apply. Amounts in different currencies
/// are never added together: every figure names its currency.
/// </summary>
public sealed record SpendReport(string CorporateId, Guid RootId, string From, string To, IReadOnlyList<string> Months,
    IReadOnlyList<CurrencySpend> Totals, IReadOnlyList<PeriodSpend> Periods, IReadOnlyList<NodeSpendLine> Nodes,
    IReadOnlyList<MemberSpendLine> Members, IReadOnlyList<CategorySpendLine> Categories);

public sealed record CurrencySpend(string Currency, decimal Spend);

public sealed record PeriodSpend(string Month, string Currency, decimal Spend);

/// <summary>
/// A node's month in one currency: what the members under it spent, and its budget when it is in that currency (then
/// <see cref="PercentUsed"/> too). <see cref="Path"/> runs from the caller's top node down to this one.
/// </summary>
public sealed record NodeSpendLine(string Month, Guid NodeId, string Name, string Path, int Depth, string Currency, decimal Spend, decimal? Budget,
    decimal? PercentUsed);

/// <summary>A member account's month, in the account's currency, and its own budget when it is in that currency.</summary>
public sealed record MemberSpendLine(string Month, Guid AccountId, string AccountNumber, string HolderName, Guid NodeId, string NodePath, string Currency,
    decimal Spend, decimal? Budget, decimal? PercentUsed);

public sealed record CategorySpendLine(string Month, string Category, string Currency, decimal Spend);

/// <summary>
/// The report as one CSV table: a row per line of every section, <see cref="Kind"/> saying which (total, month, node, member,
/// category); a total's month is the range (from/to).
/// </summary>
public sealed record SpendCsvRow(string Kind, string Month, string Id, string Path, string AccountNumber, string HolderName, string Category,
    string Currency, decimal Spend, decimal? Budget, decimal? PercentUsed);

public static class SpendReports
{
    public const string PathSeparator = " / ";

    public static async Task<SpendReport> ReadAsync(IQuerySession query, CorporateTree tree, Guid? scope, IReadOnlyList<string> months, CancellationToken ct) =>
        Build(tree, scope, months, await CorporateSpend.DetailAsync(query, tree.MembersUnder(scope ?? tree.RootId), months[0], months[^1], ct));

    /// <summary>
    /// The tree as it stands (members under the node they are in now, budgets as now set), the spend as recorded for the months.
    /// Members under <paramref name="scope"/> only; a budget applies to spend in its own currency.
    /// </summary>
    public static SpendReport Build(CorporateTree tree, Guid? scope, IReadOnlyList<string> months, SpendDetail detail)
    {
        var root = scope ?? tree.RootId;
        var members = tree.MembersUnder(root).Where(detail.Accounts.ContainsKey).Select(id => detail.Accounts[id])
            .Select(a => (Account: a, Node: tree.Members[a.Id], Path: Path(tree, tree.Members[a.Id], root)))
            .OrderBy(m => m.Path, StringComparer.Ordinal).ThenBy(m => m.Account.HolderName, StringComparer.Ordinal)
            .ThenBy(m => m.Account.AccountNumber, StringComparer.Ordinal).ToList();
        var inReach = members.Select(m => m.Account.Id).ToHashSet();
        var currencyOf = members.ToDictionary(m => m.Account.Id, m => m.Account.Currency);
        var currencies = currencyOf.Values.Distinct().Order(StringComparer.Ordinal).ToList();

        // The budgets in force: set on nodes and members, and members' from their profile templates.
        var budgets = tree.EffectiveBudgets().ToDictionary(b => b.Budget.TargetId, b => b.Budget);
        (decimal? Budget, decimal? Percent) Against(Guid target, string currency, decimal spend) =>
            budgets.TryGetValue(target, out var budget) && budget.Currency == currency
                ? (budget.Amount, decimal.Round(100m * spend / budget.Amount, 1))
                : (null, null);

        var memberLines = months.SelectMany(month => members.Select(m =>
        {
            var spend = detail.Of(m.Account.Id, month);
            var (budget, percent) = Against(m.Account.Id, m.Account.Currency, spend);
            return new MemberSpendLine(month, m.Account.Id, m.Account.AccountNumber, m.Account.HolderName, m.Node, m.Path, m.Account.Currency, spend,
                budget, percent);
        })).ToList();

        var nodes = tree.Subtree(root).Select(id =>
            {
                var under = tree.MembersUnder(id).Where(inReach.Contains).ToList();
                var budgetCurrency = budgets.TryGetValue(id, out var b) ? [b.Currency] : Array.Empty<string>();
                return (Node: tree.Nodes[id], Path: Path(tree, id, root), Under: under,
                    Currencies: under.Select(m => currencyOf[m]).Concat(budgetCurrency).Distinct().Order(StringComparer.Ordinal).ToList());
            })
            .OrderBy(n => n.Path, StringComparer.Ordinal).ToList();
        var nodeLines = months.SelectMany(month => nodes.SelectMany(n => n.Currencies.Select(currency =>
        {
            var spend = n.Under.Where(m => currencyOf[m] == currency).Sum(m => detail.Of(m, month));
            var (budget, percent) = Against(n.Node.Id, currency, spend);
            return new NodeSpendLine(month, n.Node.Id, n.Node.Name, n.Path, tree.Depth(n.Node.Id), currency, spend, budget, percent);
        }))).ToList();

        var items = detail.Items.Where(i => inReach.Contains(i.AccountId) && months.Contains(i.Month)).ToList();
        var categories = items.GroupBy(i => (i.Month, i.Category, Currency: currencyOf[i.AccountId]))
            .OrderBy(g => g.Key.Month, StringComparer.Ordinal).ThenBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Currency, StringComparer.Ordinal)
            .Select(g => new CategorySpendLine(g.Key.Month, g.Key.Category, g.Key.Currency, g.Sum(i => i.Spend))).ToList();
        var byPeriod = memberLines.GroupBy(l => (l.Month, l.Currency)).ToDictionary(g => g.Key, g => g.Sum(l => l.Spend));
        var periods = months.SelectMany(month => currencies.Select(currency => new PeriodSpend(month, currency, byPeriod[(month, currency)]))).ToList();
        var totals = currencies.Select(currency => new CurrencySpend(currency, periods.Where(p => p.Currency == currency).Sum(p => p.Spend))).ToList();
        return new SpendReport(tree.CorporateId, root, months[0], months[^1], months, totals, periods, nodeLines, memberLines, categories);
    }

    /// <summary>The node's name and its ancestors' up to <paramref name="root"/> (the caller's top node), top first.</summary>
    public static string Path(CorporateTree tree, Guid nodeId, Guid root)
    {
        var names = new List<string>();
        foreach (var node in tree.PathUp(nodeId))
        {
            names.Add(node.Name);
            if (node.Id == root)
                break;
        }
        names.Reverse();
        return string.Join(PathSeparator, names);
    }

    /// <summary>Every section of the report as rows of one table, in the order of the JSON.</summary>
    public static IEnumerable<SpendCsvRow> Rows(SpendReport report) =>
        report.Totals.Select(t => new SpendCsvRow("total", $"{report.From}/{report.To}", "", "", "", "", "", t.Currency, t.Spend, null, null))
            .Concat(report.Periods.Select(p => new SpendCsvRow("month", p.Month, "", "", "", "", "", p.Currency, p.Spend, null, null)))
            .Concat(report.Nodes.Select(n => new SpendCsvRow("node", n.Month, n.NodeId.ToString(), n.Path, "", "", "", n.Currency, n.Spend, n.Budget,
                n.PercentUsed)))
            .Concat(report.Members.Select(m => new SpendCsvRow("member", m.Month, m.AccountId.ToString(), m.NodePath, m.AccountNumber, m.HolderName, "",
                m.Currency, m.Spend, m.Budget, m.PercentUsed)))
            .Concat(report.Categories.Select(c => new SpendCsvRow("category", c.Month, "", "", "", "", c.Category, c.Currency, c.Spend, null, null)));
}
