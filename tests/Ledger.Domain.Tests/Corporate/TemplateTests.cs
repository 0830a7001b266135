using Ledger.Domain.Approvals;
using Ledger.Domain.Corporate;

namespace Ledger.Domain.Tests.Corporate;

/// <summary>Profile templates: the budget a member gets from its template, and charges outside its categories flagged once, never refused.</summary>
public class TemplateTests
{
    private static readonly Guid Tree = Guid.Parse("7e000000-0000-0000-0000-000000000003");
    private static readonly Guid Company = Guid.Parse("7e000000-0000-0000-0000-0000000002c0");
    private static readonly Guid Field = Guid.Parse("7e000000-0000-0000-0000-0000000002d1");
    private static readonly Guid Office = Guid.Parse("7e000000-0000-0000-0000-0000000002d2");
    private static readonly Guid Anna = Guid.Parse("7e000000-0000-0000-0000-0000000002a1");
    private static readonly Guid Ben = Guid.Parse("7e000000-0000-0000-0000-0000000002a2");
    private static readonly Guid Charge = Guid.Parse("7e000000-0000-0000-0000-0000000002e1");
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static readonly TreeFacts Whole = new(Now, new Poster("acme-admin", "corporate-admin"), null);
    private static readonly TreeFacts FieldOnly = new(Now, new Poster("field-admin", "corporate-admin"), Field);

    private static CorporateTree With(params object[] events) =>
        events.Select((e, i) => (e, i)).Aggregate((CorporateTree?)null, (t, x) => CorporateTree.Evolve(t, x.e, x.i + 1))!;

    private static CorporateTree After(CorporateTree tree, Decision decision) =>
        decision.Events.Aggregate(tree, (t, e) => CorporateTree.Evolve(t, e, t.Version + 1)!);

    private static readonly CorporateTree Acme = With(
        new CorporateCreated(Tree, "acme", Company, "Acme", Now),
        new CorporateNodeCreated(Tree, Field, Company, "Field", NodeKind.Division, Now), new CorporateNodeCreated(Tree, Office, Company, "Office", NodeKind.Division, Now),
        new CorporateMemberAdded(Tree, Field, Anna, Now), new CorporateMemberAdded(Tree, Office, Ben, Now),
        new CorporateTemplateDefined(Tree, "engineer", "Field engineer", 200m, "EUR", ["data", "voice"], Now));

    [Fact]
    public void Given_a_template_When_defined_badly_or_by_an_admin_of_a_subtree_Then_refused_naming_the_field()
    {
        new DefineTemplate(Tree, "Engineer!", "x", null, null, []).Decide(Acme, Whole).ThenRejected("template-code-invalid", "code");
        new DefineTemplate(Tree, "office", "Office", 100m, null, []).Decide(Acme, Whole).ThenRejected("currency-unknown", "currency");
        new DefineTemplate(Tree, "office", "Office", null, "EUR", []).Decide(Acme, Whole).ThenRejected("currency-without-budget", "currency");
        new DefineTemplate(Tree, "office", "Office", 10.001m, "EUR", []).Decide(Acme, Whole).ThenRejected("budget-amount-invalid", "monthlyBudget");
        new DefineTemplate(Tree, "office", "Office", null, null, ["Data"]).Decide(Acme, Whole).ThenRejected("categories-invalid", "allowedCategories");
        new DefineTemplate(Tree, "office", "Office", null, null, [new string('x', 51)]).Decide(Acme, Whole).ThenRejected("categories-invalid", "allowedCategories");
        new DefineTemplate(Tree, "office", " ", null, null, []).Decide(Acme, Whole).ThenRejected("required", "name");
        new DefineTemplate(Tree, "office", "Office", null, null, []).Decide(Acme, FieldOnly).ThenRejected("whole-tree-only");
        new DefineTemplate(Tree, "engineer", "Field engineer", 200m, "EUR", ["voice", "data", "data"]).Decide(Acme, Whole)
            .ThenConflict("template-unchanged", Tree);
        new DefineTemplate(Tree, "office", " Office ", null, null, ["voice", "data", "voice"]).Decide(Acme, Whole)
            .ThenEventsByMembers(new CorporateTemplateDefined(Tree, "office", "Office", null, null, ["data", "voice"], Now));
    }

    [Fact]
    public void Given_templates_When_assigned_Then_only_to_members_the_admin_reaches_and_only_templates_that_exist()
    {
        new AssignTemplate(Tree, Anna, "engineer").Decide(Acme, FieldOnly).ThenEvents(new CorporateTemplateAssigned(Tree, Anna, "engineer", Now));
        new AssignTemplate(Tree, Ben, "engineer").Decide(Acme, FieldOnly).ThenRejected("member-not-found", "accountId");
        new AssignTemplate(Tree, Guid.NewGuid(), "engineer").Decide(Acme, Whole).ThenRejected("member-not-found", "accountId");
        new AssignTemplate(Tree, Anna, "pilot").Decide(Acme, Whole).ThenRejected("template-not-found", "template");
        new AssignTemplate(Tree, Anna, null).Decide(Acme, Whole).ThenConflict("template-unchanged", Anna);
        var assigned = After(Acme, new AssignTemplate(Tree, Anna, "engineer").Decide(Acme, Whole));
        new AssignTemplate(Tree, Anna, "engineer").Decide(assigned, Whole).ThenConflict("template-unchanged", Anna);
        new AssignTemplate(Tree, Anna, null).Decide(assigned, Whole).ThenEvents(new CorporateTemplateUnassigned(Tree, Anna, "engineer", Now));
        // Leaving the tree takes the template with it.
        CorporateTree.Evolve(assigned, new CorporateMemberRemoved(Tree, Anna, Field, Now), 99)!.MemberTemplates.Should().BeEmpty();
    }

    [Fact]
    public void Given_a_member_with_a_template_When_budgets_are_reviewed_Then_the_template_budget_applies_unless_the_member_has_its_own()
    {
        var assigned = With(
            new CorporateCreated(Tree, "acme", Company, "Acme", Now), new CorporateNodeCreated(Tree, Field, Company, "Field", NodeKind.Division, Now),
            new CorporateMemberAdded(Tree, Field, Anna, Now), new CorporateMemberAdded(Tree, Field, Ben, Now),
            new CorporateTemplateDefined(Tree, "engineer", "Field engineer", 200m, "EUR", ["data", "voice"], Now),
            new CorporateTemplateAssigned(Tree, Anna, "engineer", Now), new CorporateTemplateAssigned(Tree, Ben, "engineer", Now),
            new CorporateBudgetDefined(Tree, Ben, 500m, "EUR", [100], Now));
        assigned.EffectiveBudgets().Select(b => (b.Budget.TargetId, b.Budget.Amount, b.FromTemplate))
            .Should().BeEquivalentTo([(Anna, 200m, (string?)"engineer"), (Ben, 500m, (string?)null)]);
        var spend = new Dictionary<Guid, MemberSpend> { [Anna] = new(160m, "EUR"), [Ben] = new(400m, "EUR") };
        new ReviewBudgets(Tree, "2026-12", spend).Decide(assigned, Whole)
            .ThenEvents(new CorporateBudgetAlerted(Tree, Anna, "2026-12", 80, 160m, 200m, "EUR", Now));
        // The template's budget changes: members given it follow.
        var raised = CorporateTree.Evolve(assigned, new CorporateTemplateDefined(Tree, "engineer", "Field engineer", 1000m, "EUR", [], Now), 99)!;
        new ReviewBudgets(Tree, "2026-12", spend).Decide(raised, Whole).ThenEvents();
    }

    [Fact]
    public void Given_a_charge_When_its_category_is_outside_the_members_template_Then_flagged_once_and_otherwise_not()
    {
        var assigned = CorporateTree.Evolve(Acme, new CorporateTemplateAssigned(Tree, Anna, "engineer", Now), 99)!;
        FlagCharge Charged(Guid account, string category) => new(Tree, account, Charge, category, "Roaming day pass", 12.50m, "EUR", Now.AddHours(-1));

        Charged(Anna, "roaming").Decide(assigned, Whole)
            .ThenEvents(new CorporateChargeFlagged(Tree, Anna, Field, Charge, "roaming", "Roaming day pass", 12.50m, "EUR", "engineer", Now.AddHours(-1), Now));
        Charged(Anna, "roaming").Decide(assigned, Whole with { AlreadyFlagged = true }).ThenEvents();
        Charged(Anna, "data").Decide(assigned, Whole).ThenEvents(); // allowed
        Charged(Ben, "roaming").Decide(assigned, Whole).ThenEvents(); // no template
        Charged(Guid.NewGuid(), "roaming").Decide(assigned, Whole).ThenEvents(); // not a member
        var anything = CorporateTree.Evolve(assigned, new CorporateTemplateDefined(Tree, "engineer", "Field engineer", 200m, "EUR", [], Now), 100)!;
        Charged(Anna, "roaming").Decide(anything, Whole).ThenEvents(); // no categories listed: any is allowed
    }

    [Fact]
    public void Given_a_tree_When_its_contact_is_set_Then_only_by_an_admin_of_all_of_it_and_to_one_address()
    {
        new SetContact(Tree, "Fleet", "fleet@example.org").Decide(Acme, FieldOnly).ThenRejected("whole-tree-only");
        new SetContact(Tree, "Fleet", "fleet@example.org, boss@example.org").Decide(Acme, Whole).ThenRejected("email-invalid", "email");
        new SetContact(Tree, " Fleet ", " fleet@example.org ").Decide(Acme, Whole)
            .ThenEvents(new CorporateContactChanged(Tree, "Fleet", "fleet@example.org", Now));
        var set = CorporateTree.Evolve(Acme, new CorporateContactChanged(Tree, "Fleet", "fleet@example.org", Now), 99)!;
        set.Contact.Should().Be(new CorporateContact("Fleet", "fleet@example.org"));
        new SetContact(Tree, "Fleet", "fleet@example.org").Decide(set, Whole).ThenConflict("contact-unchanged", Tree);
    }
}
