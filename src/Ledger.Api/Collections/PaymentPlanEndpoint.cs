using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

public sealed record PlanInstalmentRequest(DateOnly? DueOn, decimal? Amount);

public sealed record AgreePaymentPlanRequest(IReadOnlyList<PlanInstalmentRequest>? Instalments);

public sealed class AgreePaymentPlanValidator : AbstractValidator<AgreePaymentPlanRequest>
{
    public AgreePaymentPlanValidator()
    {
        RuleFor(r => r.Instalments).NotEmpty().Must(i => i is null || i.Count <= 60).WithMessage("A plan has at most 60 instalments.");
        RuleForEach(r => r.Instalments).NotNull().WithMessage("Each instalment is an object with 'dueOn' and 'amount'.");
        RuleForEach(r => r.Instalments).ChildRules(i =>
        {
            i.RuleFor(x => x.DueOn).NotNull();
            i.RuleFor(x => x.Amount).NotNull();
        });
    }
}

public static class PaymentPlanEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/payment-plans", async (Guid accountId, AgreePaymentPlanRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            var policy = await CollectionReviews.PolicyAsync(query.DocumentStore, http.RequestAborted);
            var command = new AgreePaymentPlan(accountId, Buckets.NewIdBeside(accountId),
                [.. body.Instalments!.Select(i => new PlanInstalment(i.DueOn!.Value, i.Amount!.Value))], policy.Current, policy.Version,
                Buckets.NewIdBeside(accountId));
            return await Writes.SendAsync(http, bus, query, command, outcome => $"/api/accounts/{outcome.AccountId}");
        })
        .Validated<AgreePaymentPlanRequest>()
        .RequireAuthorization(AccessPolicies.Desk)
        .WithTags("Collections")
        .WithName("AgreePaymentPlan").Write(mayAwaitApproval: true)
        .WithSummary("Agree a payment plan for what is past due (desk): instalments that add up to it, in date order, none in the past. Within a CSR's " +
                     "plan limits 201; above them 202 with an approvalId a manager decides. Dunning holds while the plan runs; an instalment not met after the " +
                     "policy's grace days breaks it and dunning resumes.");
}
