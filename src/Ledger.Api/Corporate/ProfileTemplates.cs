using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Corporate;
using Ledger.Projections.Corporate;
using Marten;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>A charge just committed, to be checked against its account's profile template if the account is a corporate member (from <see cref="BudgetWatch"/>).</summary>
public sealed record CheckChargeCategory(Guid AccountId, Guid EntryId, string Category, string Description, decimal Amount, DateTimeOffset PostedAt);

public static class CheckChargeCategoryHandler
{
    /// <summary>
    /// Most charges are to accounts in no tree, or to members without a template, and end at the first read; a charge
    /// outside its member's template is flagged on the tree's stream, once (a redelivered check finds the flag).
    /// </summary>
    public static async Task Handle(CheckChargeCategory message, IDocumentStore store, IMessageBus bus, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        if (await query.LoadAsync<CorporateMembership>(message.AccountId, ct) is not { } membership
            || await query.LoadAsync<CorporateTree>(membership.TreeId, ct) is not { } tree
            || tree.MemberTemplates.GetValueOrDefault(message.AccountId) is not { } code || tree.Templates[code].Allows(message.Category))
            return;
        await using var accounts = store.QueryFor(message.AccountId);
        var currency = (await accounts.LoadAsync<Account>(message.AccountId, ct))?.Currency ?? "";
        await bus.InvokeAsync<CommandOutcome>(new WriteTree(
            new FlagCharge(tree.Id, message.AccountId, message.EntryId, message.Category, message.Description, message.Amount, currency, message.PostedAt),
            new RequestContext(ReviewCorporateBudgetsHandler.Budgets, $"corporate-flag-{message.EntryId:N}", null, null, null), null), ct);
    }
}

public sealed record DefineTemplateRequest(string? Name, decimal? MonthlyBudget, string? Currency, List<string>? AllowedCategories);

public sealed class DefineTemplateValidator : AbstractValidator<DefineTemplateRequest>
{
    public DefineTemplateValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(100);
        RuleFor(r => r.Currency).MaximumLength(3);
        RuleFor(r => r.AllowedCategories).Must(c => c is null || c.Count <= DefineTemplate.MaxCategories)
            .WithMessage($"'allowedCategories' lists at most {DefineTemplate.MaxCategories} categories.");
        RuleForEach(r => r.AllowedCategories).NotEmpty().MaximumLength(50);
    }
}

public sealed record AssignTemplateRequest(string? Template);

public sealed class AssignTemplateValidator : AbstractValidator<AssignTemplateRequest>
{
    public AssignTemplateValidator() => RuleFor(r => r.Template).NotEmpty().MaximumLength(40);
}

public static class TemplateEndpoints
{
    public static void MapProfileTemplates(this RouteGroupBuilder corporates)
    {
        corporates.MapPut("/{corporateId}/templates/{code}", (string corporateId, string code, DefineTemplateRequest body, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new DefineTemplate(reach.TreeId, code, body.Name!, body.MonthlyBudget, body.Currency?.ToUpperInvariant(),
                        (body.AllowedCategories ?? []).Select(c => c.Trim().ToLowerInvariant()).ToList()), reach)))
            .Validated<DefineTemplateRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("DefineCorporateTemplate").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Define or change a profile template for a kind of employee: a monthly budget each member given it gets (unless it has " +
                         "its own) and the charge categories it allows (none listed: any). Charges outside them are flagged, never refused. " +
                         "Only an admin of the whole tree (or the desk) defines templates.");

        corporates.MapPut("/{corporateId}/members/{accountId:guid}/template", (string corporateId, Guid accountId, AssignTemplateRequest body,
                HttpContext http, IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new AssignTemplate(reach.TreeId, accountId, body.Template!), reach)))
            .Validated<AssignTemplateRequest>()
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("AssignCorporateTemplate").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Give a member account a profile template (replacing the one it had): its budget and allowed categories apply from now on.");

        corporates.MapDelete("/{corporateId}/members/{accountId:guid}/template", (string corporateId, Guid accountId, HttpContext http,
                IQuerySession query, IMessageBus bus) =>
                TreeEndpoints.Reached(http, corporateId, reach => TreeEndpoints.WriteAsync(http, query, bus, corporateId,
                    new AssignTemplate(reach.TreeId, accountId, null), reach)))
            .RequireAuthorization(AccessPolicies.CorporateTrees)
            .WithName("UnassignCorporateTemplate").Produces<TreeView>().Write(answers: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Take a member account's profile template away.");

        corporates.MapGet("/{corporateId}/flagged-charges", async (string corporateId, string? month, HttpContext http, IQuerySession query) =>
            {
                if (CorporateAccess.ReachOf(http, corporateId) is not { } reach)
                    return Problems.NotFound("The corporate customer");
                if (month is not null && !Months.Valid(month))
                    return Problems.Rule(new Domain.Rejection("month-invalid", "'month' is written yyyy-MM.", "month"), StatusCodes.Status400BadRequest);
                if (await query.LoadAsync<CorporateTree>(reach.TreeId, http.RequestAborted) is not { } tree)
                    return Problems.NotFound("The corporate customer");
                var flags = query.Query<FlaggedCharge>().Where(f => f.TreeId == tree.Id);
                if (month is not null)
                {
                    var (from, to) = Months.Range(month);
                    flags = flags.Where(f => f.PostedAt >= from && f.PostedAt < to);
                }
                var scope = reach.Scope ?? tree.RootId;
                // Where the member sits now decides who sees the flag: an account moved out of a limited admin's nodes takes its flags with it.
                return Results.Ok((await flags.OrderByDescending(f => f.PostedAt).Take(1000).ToListAsync(http.RequestAborted))
                    .Where(f => tree.Members.TryGetValue(f.AccountId, out var at) ? tree.IsWithin(at, scope) : reach.Scope is null)
                    .ToList());
            })
            .RequireAuthorization(AccessPolicies.CorporateRead)
            .WithName("GetCorporateFlaggedCharges")
            .WithSummary("Charges to member accounts in categories their profile template does not allow (newest first, at most 1,000; month: only " +
                         "those posted in it), under what the caller administers.")
            .Produces<List<FlaggedCharge>>()
            .Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
    }
}
