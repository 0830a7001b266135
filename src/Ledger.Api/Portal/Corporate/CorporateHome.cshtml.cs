using Ledger.Api.Access;
using Ledger.Api.Corporate;
using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Portal.Corporate;

/// <summary>
/// A corporate admin's home: the tree under their node, each node's member accounts (number, holder, currency; not links:
/// an account's own pages are its owner's and the desk's), and this month's budgets with what was spent against them.
/// </summary>
[Authorize(Roles = Roles.CorporateAdmin)]
public sealed class CorporateHomeModel(IQuerySession query, TimeProvider clock) : CorporatePage
{
    public string Month { get; private set; } = "";
    public IReadOnlyDictionary<Guid, Account> Accounts { get; private set; } = new Dictionary<Guid, Account>();
    public IReadOnlyList<BudgetStatus> Budgets { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!await LoadTreeAsync(query))
            return NotFoundPage();
        Month = Months.Of(clock.GetUtcNow());
        var detail = await CorporateSpend.DetailAsync(query, Tree.MembersUnder(Top), Month, Month, HttpContext.RequestAborted);
        Accounts = detail.Accounts;
        Budgets = BudgetStatus.Of(Tree, Scope, Month, detail.InMonth(Month));
        return Page();
    }

    public IEnumerable<TreeNode> Children(Guid nodeId) =>
        Tree.Nodes.Values.Where(n => n.ParentId == nodeId).OrderBy(n => n.Closed).ThenBy(n => n.Name, StringComparer.Ordinal);

    public IEnumerable<Account> MembersAt(Guid nodeId) =>
        Tree.Members.Where(m => m.Value == nodeId).Select(m => Accounts.GetValueOrDefault(m.Key)).OfType<Account>()
            .OrderBy(a => a.HolderName, StringComparer.Ordinal).ThenBy(a => a.AccountNumber, StringComparer.Ordinal);

    /// <summary>What a budget is for, in words: the node's name, or the member's holder and account number.</summary>
    public string TargetName(BudgetStatus budget) =>
        budget.TargetKind == "node" ? budget.Target
        : Accounts.TryGetValue(budget.TargetId, out var account) ? $"{account.HolderName} ({account.AccountNumber})" : budget.Target;

    public static string Kind(NodeKind kind) => kind switch
    {
        NodeKind.Company => "company",
        NodeKind.Division => "division",
        _ => "cost centre",
    };
}
