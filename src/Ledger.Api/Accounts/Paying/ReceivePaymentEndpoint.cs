using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Notifications;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Paying;

public sealed record ReceivePaymentRequest(decimal? Amount, PaymentMethod? Method, string? Reference, string? CardBrand, string? CardLast4)
{
    /// <summary>The command a valid request asks for (the API's and the portal's payment forms alike).</summary>
    public ReceivePayment ToCommand(Guid accountId) =>
        new(accountId, Guid.CreateVersion7(), Amount!.Value, Method!.Value, Reference, CardBrand, CardLast4);
}

public sealed class ReceivePaymentValidator : AbstractValidator<ReceivePaymentRequest>
{
    public ReceivePaymentValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Method).NotNull().WithMessage("'method' is one of card, check, transfer, cash.");
    }
}

public static class ReceivePaymentEndpoint
{
    public static void Map(RouteGroupBuilder accounts) => accounts
        .MapPost("/{accountId:guid}/payments", (Guid accountId, ReceivePaymentRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            Writes.SendAsync(http, bus, query, body.ToCommand(accountId), PostChargeEndpoint.EntryLocation))
        .Validated<ReceivePaymentRequest>()
        .RequireAuthorization(AccessPolicies.SelfServiceWrite)
        .WithName("ReceivePayment")
        .WithSummary("Record a payment (the customer, or the desk on their behalf). Cards: brand and last four digits only.");
}
