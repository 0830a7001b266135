using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts.Lifecycle;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Lifecycle;

public sealed record ChangeStatusRequest(string? Reason);

public sealed class ChangeStatusValidator : AbstractValidator<ChangeStatusRequest>
{
    public ChangeStatusValidator() => RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
}

public static class ChangeStatusEndpoints
{
    public static void Map(RouteGroupBuilder accounts)
    {
        Map(accounts, "suspension", LifecycleAction.Suspend, "SuspendAccount", "Suspend the account: no new charges until reactivated (desk).");
        Map(accounts, "reactivation", LifecycleAction.Reactivate, "ReactivateAccount", "Reactivate a suspended account (desk).");
        Map(accounts, "closure", LifecycleAction.Close, "CloseAccount", "Close the account; its balance must be zero (desk).");
    }

    private static void Map(RouteGroupBuilder accounts, string path, LifecycleAction action, string name, string summary) => accounts
        .MapPost($"/{{accountId:guid}}/{path}", (Guid accountId, ChangeStatusRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            Writes.SendAsync(http, bus, query, new ChangeAccountStatus(accountId, action, body.Reason!), location: null))
        .Validated<ChangeStatusRequest>()
        .RequireAuthorization(AccessPolicies.Desk)
        .WithName(name).Write(created: false)
        .WithSummary(summary);
}
