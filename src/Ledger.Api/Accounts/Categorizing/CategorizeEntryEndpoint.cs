using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Categorizing;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Categorizing;

public sealed record CategorizeEntryRequest(string? Category)
{
    /// <summary>The command a valid request asks for (the API's and the overview page's alike).</summary>
    public CategorizeEntry ToCommand(Guid accountId, Guid entryId) => new(accountId, entryId, Category!);
}

public sealed class CategorizeEntryValidator : AbstractValidator<CategorizeEntryRequest>
{
    public CategorizeEntryValidator() => RuleFor(r => r.Category).NotEmpty().MaximumLength(50);
}

public static class CategorizeEntryEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPut("/{accountId:guid}/entries/{entryId:guid}/category",
            (Guid accountId, Guid entryId, CategorizeEntryRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query, body.ToCommand(accountId, entryId), location: null))
        .Validated<CategorizeEntryRequest>()
        .RequireAuthorization(AccessPolicies.SelfServiceWrite)
        .WithName("CategorizeEntry").Write(created: false)
        .WithSummary("Put a line item in one of the customer's own categories (recorded as an event).");
}
