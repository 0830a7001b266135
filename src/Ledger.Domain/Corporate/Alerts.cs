using Ledger.Domain.Accounts.Profile;

namespace Ledger.Domain.Corporate;

/// <summary>Who at the corporate customer hears of its budget alerts and flagged charges, by e-mail.</summary>
public sealed record CorporateContact(string Name, string Email);

public sealed record CorporateContactChanged(Guid TreeId, string Name, string Email, DateTimeOffset ChangedAt);

/// <summary>Set the address the tree's alerts are mailed to (an admin of the whole tree, or the desk).</summary>
public sealed record SetContact(Guid TreeId, string Name, string Email) : ITreeCommand
{
    public Decision Decide(CorporateTree? tree, TreeFacts facts)
    {
        if (tree is null)
            return Decision.Reject(TreeRules.NoTree(TreeId));
        if ((TemplateRules.WholeTree(tree, facts, "The contact for alerts is") ?? TreeRules.Name(Name)) is { } bad)
            return Decision.Reject(bad);
        var email = Email.Trim();
        if (!ChangeContactPreferences.IsEmail(email))
            return Decision.Reject("email-invalid", "'email' is not a single e-mail address (name@domain).", "email");
        return tree.Contact == new CorporateContact(Name.Trim(), email)
            ? Decision.Reject(new Rejection("contact-unchanged", "That is already the tree's contact.", IsConflict: true, Reference: TreeId))
            : Decision.Accept(new CorporateContactChanged(TreeId, Name.Trim(), email, facts.Now));
    }
}

/// <summary>The events of a tree the world outside hears of: on the webhook and message feeds, and mailed to the tree's contact.</summary>
public static class CorporateAlerts
{
    public static readonly Type[] Outward = [typeof(CorporateBudgetAlerted), typeof(CorporateChargeFlagged)];
}
