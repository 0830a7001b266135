using FluentValidation;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Ledger.Api.Corporate;

/// <summary>Look at a corporate tree's budgets for a month, after a charge to one of its member accounts (from <see cref="BudgetWatch"/>).</summary>
public sealed record ReviewCorporateBudgets(Guid AccountId, string Month);

/// <summary>
/// Every committed charge (and reversed correction, which brings spend back) hands its account and month to the budget
/// review, from Marten's async daemon: Wolverine writes the messages with this subscription's progress, so none is lost to
/// a crash and none holds up the charge's own write.
/// </summary>
public sealed class BudgetWatch : BatchSubscription
{
    public const string Name = "corporate-budgets";

    public BudgetWatch() : base(Name)
    {
        IncludeType<ChargePosted>();
        IncludeType<CorrectionReversed>();
    }

    // Each charge is also checked against its member's profile template (ProfileTemplates.cs).

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus,
        CancellationToken cancellationToken)
    {
        var reviews = page.Events.Select(e => e.Data switch
            {
                ChargePosted c => new ReviewCorporateBudgets(c.AccountId, Months.Of(c.PostedAt)),
                CorrectionReversed r => new ReviewCorporateBudgets(r.AccountId, Months.Of(r.ReversedAt)),
                _ => null,
            })
            .OfType<ReviewCorporateBudgets>().Distinct();
        foreach (var review in reviews)
            await bus.PublishAsync(review);
        foreach (var charge in page.Events.Select(e => e.Data).OfType<ChargePosted>())
            await bus.PublishAsync(new CheckChargeCategory(charge.AccountId, charge.EntryId, charge.Category, charge.Description, charge.Amount, charge.PostedAt));
    }
}

public static class ReviewCorporateBudgetsHandler
{
    public static readonly Actor Budgets = new("system:corporate-budgets", "system", Channel.Desk, null);

    /// <summary>Accounts outside every tree are none of its business; a member's tree is reviewed on its members' spend as it now stands.</summary>
    public static async Task Handle(ReviewCorporateBudgets message, IDocumentStore store, IMessageBus bus, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (await query.LoadAsync<CorporateMembership>(message.AccountId, ct) is not { } membership
            || await query.LoadAsync<CorporateTree>(membership.TreeId, ct) is not { Budgets.Count: > 0 } tree)
            return;
        var spend = await CorporateSpend.ForMonthAsync(query, tree.Members.Keys.ToList(), message.Month, ct);
        await bus.InvokeAsync<CommandOutcome>(new WriteTree(new ReviewBudgets(tree.Id, message.Month, spend),
            new RequestContext(Budgets, $"corporate-budgets-{tree.Id:N}-{message.Month}", null, null, null), null), ct);
    }
}

public sealed record SetBudgetRequest(decimal? Amount, string? Currency, List<int>? Thresholds);

public sealed class SetBudgetValidator : AbstractValidator<SetBudgetRequest>
{
    public SetBudgetValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Currency).NotEmpty().MaximumLength(3);
        RuleFor(r => r.Thresholds).Must(t => t is null || t.Count <= 5).WithMessage("'thresholds' lists at most 5 percentages.");
    }
}

/// <summary>A budget as it stands in a month: what was spent against it, and the thresholds already alerted.</summary>
public sealed record BudgetStatus(Guid TargetId, string Target, string TargetKind, decimal Amount, string Currency, decimal Spent, decimal Percent,
    IReadOnlyList<int> Thresholds, IReadOnlyList<int> Alerted)
{
    /// <summary>The template a member's budget comes from (null: set on the node or member itself).</summary>
    public string? FromTemplate { get; init; }

    /// <summary>Each budget under <paramref name="scope"/> (null: the whole tree) in the month, on the members' spend in it.</summary>
    public static List<BudgetStatus> Of(CorporateTree tree, Guid? scope, string month, IReadOnlyDictionary<Guid, MemberSpend> spend)
    {
        var root = scope ?? tree.RootId;
        return tree.EffectiveBudgets()
            .Where(x => tree.Nodes.ContainsKey(x.Budget.TargetId) ? tree.IsWithin(x.Budget.TargetId, root)
                : tree.Members.TryGetValue(x.Budget.TargetId, out var at) && tree.IsWithin(at, root))
            .Select(x =>
            {
                var b = x.Budget;
                var isNode = tree.Nodes.ContainsKey(b.TargetId);
                var members = isNode ? tree.MembersUnder(b.TargetId) : [b.TargetId];
                var spent = members.Select(m => spend.GetValueOrDefault(m)).Where(s => s?.Currency == b.Currency).Sum(s => s!.Spend);
                return new BudgetStatus(b.TargetId, isNode ? tree.Nodes[b.TargetId].Name : b.TargetId.ToString(), isNode ? "node" : "member", b.Amount,
                    b.Currency, spent, decimal.Round(100m * spent / b.Amount, 1), b.Thresholds,
                    b.Thresholds.Where(t => tree.Alerted.Contains(CorporateTree.AlertKey(b.TargetId, month, t))).ToList()) { FromTemplate = x.FromTemplate };
            }).OrderBy(s => s.TargetKind).ThenBy(s => s.Target, StringComparer.Ordinal).ToList();
    }
}

public static class BudgetEndpoints
{
    public static void MapCorporateBudgets(this RouteGroupBuilder corporates)
    {
        corporates.MapPut("/{corporateId}/budgets/{targetId:guid}", (string corporateId, Guid targetId, SetBudgetRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new SetBudget(reach.TreeId, targetId, body.Amount!.Value, body.Currency!.ToUpperInvariant(), body.Thresholds), reach)))
            .Validated<SetBudgetRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("SetCorporateBudget").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Set the monthly budget of a node (everything under it) or a member account, with the percentages at which the " +
                         "corporate admin is alerted (80 and 100 by default): each once per node or member and month.");

        corporates.MapGet("/{corporateId}/budgets", async (string corporateId, string? month, HttpContext http, IQuerySession query, TimeProvider clock) =>
            {
                if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
                    return Problems.NotFound("The corporate customer");
                if (month is not null && !Months.Valid(month))
                    return Problems.Rule(new Domain.Rejection("month-invalid", "'month' is written yyyy-MM.", "month"), StatusCodes.Status400BadRequest);
                if (await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted) is not { } tree)
                    return Problems.NotFound("The corporate customer");
                var period = month ?? Months.Of(clock.GetUtcNow());
                var spend = await CorporateSpend.ForMonthAsync(query, tree.Members.Keys.ToList(), period, http.RequestAborted);
                return Results.Ok(BudgetStatus.Of(tree, reach.Scope, period, spend));
            })
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("GetCorporateBudgets")
            .WithSummary("Each budget under what the caller administers, for a month (this one by default): spent, the percentage, and the thresholds alerted.")
            .Produces<List<BudgetStatus>>()
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }
}
