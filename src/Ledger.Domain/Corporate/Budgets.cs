using System.Globalization;

namespace Ledger.Domain.Corporate;

/// <summary>
/// A monthly budget for a node (everything under it) or one member account, in a currency, and the percentages of it at
/// which the corporate admin is alerted (80 and 100 by default).
/// </summary>
public sealed record Budget(Guid TargetId, decimal Amount, string Currency, IReadOnlyList<int> Thresholds);

public sealed record CorporateBudgetDefined(Guid TreeId, Guid TargetId, decimal Amount, string Currency, IReadOnlyList<int> Thresholds, DateTimeOffset SetAt);

/// <summary>A node's or member's spend in <see cref="Month"/> (yyyy-MM) reached <see cref="Threshold"/> % of its budget; raised once per target, month and threshold.</summary>
public sealed record CorporateBudgetAlerted(Guid TreeId, Guid TargetId, string Month, int Threshold, decimal Spend, decimal Budget, string Currency,
    DateTimeOffset AlertedAt);

/// <summary>One member account's spend in a month: its charges net of corrections, in its currency.</summary>
public sealed record MemberSpend(decimal Spend, string Currency);

public static class Months
{
    public static string Of(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>The month's first instant and the next month's, in UTC.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(string month)
    {
        var first = DateTime.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return (new DateTimeOffset(first, TimeSpan.Zero), new DateTimeOffset(first.AddMonths(1), TimeSpan.Zero));
    }

    /// <summary>yyyy-MM, up to 9998-12: a month whose end (the next month's first instant) can still be written down.</summary>
    public static bool Valid(string? month) =>
        month is { Length: 7 } && DateTime.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first)
                               && first.Year < 9999;

    /// <summary>How many months from <paramref name="from"/> to <paramref name="to"/>, both included (0 or less when from is after to).</summary>
    public static int Count(string from, string to) => Index(to) - Index(from) + 1;

    /// <summary>The month <paramref name="count"/> months after (or before) <paramref name="month"/>, kept within 0001-01 and 9998-12.</summary>
    public static string Add(string month, int count) => At(Math.Clamp(Index(month) + count, Index("0001-01"), Index("9998-12")));

    /// <summary>The months from <paramref name="from"/> to <paramref name="to"/>, both included, in order.</summary>
    public static IReadOnlyList<string> Span(string from, string to) => Enumerable.Range(Index(from), Math.Max(0, Count(from, to))).Select(At).ToList();

    private static int Index(string month) =>
        int.Parse(month[..4], CultureInfo.InvariantCulture) * 12 + int.Parse(month[5..], CultureInfo.InvariantCulture) - 1;

    private static string At(int index) => string.Create(CultureInfo.InvariantCulture, $"{index / 12:0000}-{index % 12 + 1:00}");
}

/// <summary>Set (or replace) the monthly budget of a node or member; alerts already raised this month stand.</summary>
public sealed record SetBudget(Guid TreeId, Guid TargetId, decimal Amount, string Currency, IReadOnlyList<int>? Thresholds) : ITreeCommand
{
    public static readonly IReadOnlyList<int> DefaultThresholds = [80, 100];

    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        var reachable = tree.Nodes.ContainsKey(TargetId)
            ? TreeRules.Reachable(tree, TargetId, facts, "targetId")
            : tree.Members.TryGetValue(TargetId, out var at) ? TreeRules.Reachable(tree, at, facts, "targetId")
            : new Rejection(TreeRules.NodeNotFound, $"{TargetId} is neither a node nor a member account under what you administer.", "targetId");
        if (reachable is not null)
            return Decision.Reject(reachable);
        if (!Money.Currency.TryFind(Currency, out var currency))
            return Decision.Reject("currency-unknown", $"'{(Currency.Length > 3 ? Currency[..3] : Currency)}' is not an ISO 4217 currency.", "currency");
        if (Amount <= 0 || Amount > 1_000_000_000m || decimal.Round(Amount, currency.MinorUnits) != Amount)
            return Decision.Reject("budget-amount-invalid", $"'amount' is above 0, at most 1,000,000,000 and in {currency.Code}'s minor units.", "amount");
        var thresholds = Thresholds ?? DefaultThresholds;
        if (thresholds.Count is < 1 or > 5 || thresholds.Any(t => t is < 1 or > 200) || !thresholds.SequenceEqual(thresholds.Order().Distinct()))
            return Decision.Reject("thresholds-invalid", "'thresholds' lists 1 to 5 percentages from 1 to 200, ascending.", "thresholds");
        var budget = new Budget(TargetId, Amount, currency.Code, thresholds.ToList());
        return tree.Budgets.TryGetValue(TargetId, out var current) && current.Amount == budget.Amount && current.Currency == budget.Currency
               && current.Thresholds.SequenceEqual(budget.Thresholds)
            ? Decision.Reject(new Rejection("budget-unchanged", "That budget is already set.", IsConflict: true, Reference: TargetId))
            : Decision.Accept(new CorporateBudgetDefined(TreeId, TargetId, budget.Amount, budget.Currency, budget.Thresholds, facts.Now));
    }
}

/// <summary>
/// The month's spend of the tree's members as it now stands (charges net of corrections, by member account, in each
/// account's currency): every threshold of every budget it reaches, not alerted yet this month, is alerted now.
/// </summary>
public sealed record ReviewBudgets(Guid TreeId, string Month, IReadOnlyDictionary<Guid, MemberSpend> SpendByMember) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Accept();
        var alerts = new List<object>();
        foreach (var (budget, _) in tree.EffectiveBudgets())
        {
            var members = tree.Nodes.ContainsKey(budget.TargetId) ? tree.MembersUnder(budget.TargetId)
                : tree.Members.ContainsKey(budget.TargetId) ? [budget.TargetId] : [];
            // Spend in another currency than the budget's is not converted (nothing in the ledger rates currencies).
            var spend = members.Select(m => SpendByMember.GetValueOrDefault(m)).Where(s => s?.Currency == budget.Currency).Sum(s => s!.Spend);
            foreach (var threshold in budget.Thresholds)
                if (spend * 100 >= budget.Amount * threshold && !tree.Alerted.Contains(CorporateTree.AlertKey(budget.TargetId, Month, threshold)))
                    alerts.Add(new CorporateBudgetAlerted(TreeId, budget.TargetId, Month, threshold, spend, budget.Amount, budget.Currency, facts.Now));
        }
        return Decision.Accept([.. alerts]);
    }
}
