using System.Text.RegularExpressions;

namespace Ledger.Domain.Corporate;

/// <summary>
/// A profile for a kind of employee ("field engineer", "office"): the monthly budget each member account given it gets,
/// unless the member has a budget of its own, and the charge categories it allows (none listed: any). A charge outside
/// them is flagged for the corporate admin, never refused: it is a fact from the rating system.
/// </summary>
public sealed record ProfileTemplate(string Code, string Name, decimal? MonthlyBudget, string? Currency, IReadOnlyList<string> AllowedCategories)
{
    public bool Allows(string category) => AllowedCategories.Count == 0 || AllowedCategories.Contains(category, StringComparer.OrdinalIgnoreCase);
}

public sealed record CorporateTemplateDefined(Guid TreeId, string Code, string Name, decimal? MonthlyBudget, string? Currency,
    IReadOnlyList<string> AllowedCategories, DateTimeOffset DefinedAt);

public sealed record CorporateTemplateAssigned(Guid TreeId, Guid AccountId, string Code, DateTimeOffset AssignedAt);

public sealed record CorporateTemplateUnassigned(Guid TreeId, Guid AccountId, string Code, DateTimeOffset UnassignedAt);

/// <summary>A member's charge in a category its template does not allow: flagged for the corporate admin once per charge.</summary>
public sealed record CorporateChargeFlagged(Guid TreeId, Guid AccountId, Guid NodeId, Guid EntryId, string Category, string Description, decimal Amount,
    string Currency, string TemplateCode, DateTimeOffset PostedAt, DateTimeOffset FlaggedAt);

internal static partial class TemplateRules
{
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$")]
    public static partial Regex Code();

    /// <summary>Charges carry their category as the rating system gave it, trimmed and lower-cased, up to 50 characters.</summary>
    public static bool Category(string category) =>
        category.Length is >= 1 and <= 50 && category == category.Trim().ToLowerInvariant() && !category.Any(char.IsControl);

    /// <summary>
    /// What is the whole tree's (its templates, its contact) is set by someone who administers all of it: the desk, or an
    /// admin not limited to a node.
    /// </summary>
    public static Rejection? WholeTree(CorporateTree tree, TreeFacts facts, string what) =>
        facts.Scope is { } scope && scope != tree.RootId
            ? new Rejection("whole-tree-only", $"{what} the whole tree's: only an admin of all of it changes that.")
            : null;

    public static Rejection? Member(CorporateTree tree, Guid accountId, TreeFacts facts) =>
        !tree.Members.TryGetValue(accountId, out var at) || TreeRules.Reachable(tree, at, facts, "accountId") is not null
            ? new Rejection("member-not-found", $"Account {accountId} is not a member under what you administer.", "accountId")
            : null;
}

/// <summary>Define a profile template, or change it: members given it follow the change from now on.</summary>
public sealed record DefineTemplate(Guid TreeId, string Code, string Name, decimal? MonthlyBudget, string? Currency, IReadOnlyList<string> AllowedCategories)
    : ITreeCommand
{
    public const int MaxCategories = 50;

    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TemplateRules.WholeTree(tree, facts, "Profile templates are") ?? TreeRules.Name(Name)) is { } bad)
            return Decision.Reject(bad);
        if (!TemplateRules.Code().IsMatch(Code))
            return Decision.Reject("template-code-invalid", "'code' is 1 to 40 lower-case letters, digits and '-', starting with a letter or digit.", "code");
        if (AllowedCategories.Count > MaxCategories || AllowedCategories.Any(c => !TemplateRules.Category(c)))
            return Decision.Reject("categories-invalid",
                $"'allowedCategories' lists at most {MaxCategories} charge categories, each written as charges carry them: 1 to 50 characters, lower case, " +
                "no surrounding spaces.", "allowedCategories");
        string? currency = null;
        if (MonthlyBudget is { } amount)
        {
            if (Currency is null || !Money.Currency.TryFind(Currency, out var found))
                return Decision.Reject("currency-unknown", "A template's budget needs an ISO 4217 'currency'.", "currency");
            if (amount <= 0 || amount > 1_000_000_000m || decimal.Round(amount, found.MinorUnits) != amount)
                return Decision.Reject("budget-amount-invalid", $"'monthlyBudget' is above 0, at most 1,000,000,000 and in {found.Code}'s minor units.",
                    "monthlyBudget");
            currency = found.Code;
        }
        else if (Currency is not null)
            return Decision.Reject("currency-without-budget", "'currency' is the budget's; give 'monthlyBudget' with it, or neither.", "currency");
        var template = new ProfileTemplate(Code, Name.Trim(), MonthlyBudget, currency, AllowedCategories.Distinct().Order(StringComparer.Ordinal).ToList());
        return tree.Templates.TryGetValue(Code, out var current) && current.Name == template.Name && current.MonthlyBudget == template.MonthlyBudget
               && current.Currency == template.Currency && current.AllowedCategories.SequenceEqual(template.AllowedCategories)
            ? Decision.Reject(new Rejection("template-unchanged", $"Template '{Code}' is already defined so.", IsConflict: true, Reference: TreeId))
            : Decision.Accept(new CorporateTemplateDefined(TreeId, Code, template.Name, template.MonthlyBudget, template.Currency, template.AllowedCategories,
                facts.Now));
    }
}

/// <summary>Give a member account a template (replacing the one it had), or with a null code take its template away.</summary>
public sealed record AssignTemplate(Guid TreeId, Guid AccountId, string? Code) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if (TemplateRules.Member(tree, AccountId, facts) is { } bad)
            return Decision.Reject(bad);
        var current = tree.MemberTemplates.GetValueOrDefault(AccountId);
        if (Code is null)
            return current is null
                ? Decision.Reject(new Rejection("template-unchanged", $"Account {AccountId} has no template.", IsConflict: true, Reference: AccountId))
                : Decision.Accept(new CorporateTemplateUnassigned(TreeId, AccountId, current, facts.Now));
        if (!tree.Templates.ContainsKey(Code))
            return Decision.Reject("template-not-found", $"There is no template '{(Code.Length > 40 ? Code[..40] : Code)}' in this tree.", "template");
        return current == Code
            ? Decision.Reject(new Rejection("template-unchanged", $"Account {AccountId} already has template '{Code}'.", IsConflict: true, Reference: AccountId))
            : Decision.Accept(new CorporateTemplateAssigned(TreeId, AccountId, Code, facts.Now));
    }
}

/// <summary>A charge posted to an account: if the account is a member whose template does not allow its category, flag it (once).</summary>
public sealed record FlagCharge(Guid TreeId, Guid AccountId, Guid EntryId, string Category, string Description, decimal Amount, string Currency,
    DateTimeOffset PostedAt) : ITreeCommand
{
    public Guid? FlagToRead => EntryId;

    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null || !tree.Members.TryGetValue(AccountId, out var node) || facts.AlreadyFlagged
            || tree.MemberTemplates.GetValueOrDefault(AccountId) is not { } code || tree.Templates[code].Allows(Category))
            return Decision.Accept();
        return Decision.Accept(new CorporateChargeFlagged(TreeId, AccountId, node, EntryId, Category, Description, Amount, Currency, code, PostedAt,
            facts.Now));
    }
}
