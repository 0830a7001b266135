using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Domain.Payments;
using Ledger.Projections.Payments;
using Marten;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Ledger.Api.Accounts.Refunding;

/// <summary>
/// Pay back a credit balance. With <see cref="DestinationAccount"/> (an IBAN) it goes by bank transfer; without one it
/// goes back to the card the customer paid with, where a card payment settled by the processor can take it.
/// </summary>
public sealed record IssueRefundRequest(decimal? Amount, string? Reason, string? DestinationAccount, string? OverrideReason)
{
    /// <summary>The command a valid request asks for (the API's and the portal's alike): by transfer to the IBAN given, else to a card that can take it.</summary>
    public async Task<IssueRefund> ToCommandAsync(IQuerySession query, Guid accountId, CancellationToken ct)
    {
        var card = string.IsNullOrWhiteSpace(DestinationAccount) ? await RefundEndpoints.CardToRefundAsync(query, accountId, Amount!.Value, ct) : null;
        return new IssueRefund(accountId, Ledger.Domain.Buckets.NewIdBeside(accountId), Amount!.Value, Reason!, card is null ? RefundMethod.Transfer : RefundMethod.Card, card,
            DestinationAccount, string.IsNullOrWhiteSpace(OverrideReason) ? null : OverrideReason, Ledger.Domain.Buckets.NewIdBeside(accountId));
    }
}

public sealed class IssueRefundValidator : AbstractValidator<IssueRefundRequest>
{
    public IssueRefundValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
        RuleFor(r => r.DestinationAccount).MaximumLength(50);
        RuleFor(r => r.OverrideReason).MaximumLength(500);
    }
}

public sealed record ConfirmRefundRequest(string? BankReference);

public sealed class ConfirmRefundValidator : AbstractValidator<ConfirmRefundRequest>
{
    public ConfirmRefundValidator() => RuleFor(r => r.BankReference).NotEmpty().MaximumLength(100);
}

public sealed record FailRefundRequest(string? ReasonCode, string? Reason);

public sealed class FailRefundValidator : AbstractValidator<FailRefundRequest>
{
    public FailRefundValidator()
    {
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(35);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>
/// A refund as it stands: <c>pending</c> (on its way), <c>settled</c> (the processor or the bank confirmed it left) or
/// <c>failed</c> (the money is the customer's credit again). A transfer's destination is shown masked; its
/// <see cref="Reference"/> is what the transfer carries.
/// </summary>
public sealed record RefundAnswer(
    Guid RefundId, Guid AccountId, string Status, decimal Amount, string Currency, RefundMethod Method, string Reference, Guid? CardPaymentId,
    string? DestinationAccount, string Reason, DateTimeOffset IssuedAt, DateTimeOffset? SettledAt, string? FailureCode, string? FailureReason)
{
    public static RefundAnswer From(RefundView r, string currency) => new(r.Id, r.AccountId, r.Status, r.Amount, currency, r.Method, r.Reference,
        r.CardPaymentId, r.DestinationAccount is null ? null : Ibans.Masked(r.DestinationAccount), r.Reason, r.IssuedAt, r.SettledAt, r.FailureCode,
        r.FailureReason);
}

public static class RefundEndpoints
{
    public static void Map(RouteGroupBuilder accounts)
    {
        accounts.MapPost("/{accountId:guid}/refunds", async (Guid accountId, IssueRefundRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
            {
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } refused)
                    return refused;
                var command = await body.ToCommandAsync(query, accountId, http.RequestAborted);
                var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command, context), http.RequestAborted);
                if (outcome.Kind != OutcomeKind.Applied || outcome.ResourceId is not { } refundId
                    || await query.LoadAsync<RefundView>(refundId, http.RequestAborted) is not { } refund)
                    return outcome.ToHttp(http, null);
                http.Response.Headers.ETag = ETags.For(outcome.Version);
                return TypedResults.Accepted($"/api/accounts/{accountId}/refunds/{refundId}", RefundAnswer.From(refund, outcome.Currency!));
            })
            .Validated<IssueRefundRequest>()
            .RequireAuthorization(AccessPolicies.RequestCredit)
            .WithName("IssueRefund").OneOf(StatusCodes.Status202Accepted, typeof(RefundAnswer), typeof(PendingResult)).Write(answers: false)
            .WithSummary("Pay back a credit balance, to the card paid with or by transfer to destinationAccount (an IBAN): 202 pending until the " +
                         "processor or the bank confirms it; over the caller's limits (the credit limits) a request for approval (202 with an approvalId); " +
                         "customers' refunds are always requests.");

        accounts.MapGet("/{accountId:guid}/refunds/{refundId:guid}", async (Guid accountId, Guid refundId, HttpContext http, IQuerySession query) =>
                await AccountAccess.VisibleAsync(query, http, accountId) is { } account
                && await query.LoadAsync<RefundView>(refundId, http.RequestAborted) is { } refund && refund.AccountId == accountId
                    ? Results.Ok(RefundAnswer.From(refund, account.Currency))
                    : Problems.NotFound($"Refund {refundId} on account {accountId}"))
            .RequireAuthorization(AccessPolicies.ReadAccounts)
            .WithName("GetRefund").Produces<RefundAnswer>()
            .WithSummary("Where a refund stands: pending, settled or failed.");

        accounts.MapPost("/{accountId:guid}/refunds/{refundId:guid}/confirmation",
                (Guid accountId, Guid refundId, ConfirmRefundRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                    Writes.SendAsync(http, bus, query, new SettleRefund(accountId, refundId, Paying.ConfirmPaymentEndpoints.BankSource, body.BankReference!), null))
            .Validated<ConfirmRefundRequest>()
            .RequireAuthorization(AccessPolicies.ConfirmPayments)
            .WithName("ConfirmRefund").Write(created: false)
            .WithSummary("The bank's statement shows a refund by transfer left: settle it with the statement line's reference (managers).");

        accounts.MapPost("/{accountId:guid}/refunds/{refundId:guid}/failure",
                (Guid accountId, Guid refundId, FailRefundRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                    Writes.SendAsync(http, bus, query, new FailRefund(accountId, refundId, body.ReasonCode!, body.Reason!), null))
            .Validated<FailRefundRequest>()
            .RequireAuthorization(AccessPolicies.ConfirmPayments)
            .WithName("FailRefund").Write(created: false)
            .WithSummary("A refund by transfer came back or was refused by the bank: the money is the customer's credit again (managers).");
    }

    /// <summary>
    /// The card payment a refund can go back to: settled by the processor, with at least the amount left of it after
    /// chargebacks and refunds already sent to it; the most recent first. Null when none can take it.
    /// </summary>
    public static async Task<Guid?> CardToRefundAsync(IQuerySession query, Guid accountId, decimal amount, CancellationToken ct)
    {
        var cards = await query.Query<PaymentView>()
            .Where(p => p.AccountId == accountId && p.Method == PaymentMethod.Card && p.ConfirmedBy == SettlePayment.ProcessorSource)
            .OrderByDescending(p => p.SettledAt).Take(20).ToListAsync(ct);
        if (cards.Count == 0)
            return null;
        var ids = cards.Select(c => (Guid?)c.Id).ToList();
        var refunded = (await query.Query<RefundView>().Where(r => r.CardPaymentId.IsOneOf(ids) && r.Status != RefundStatus.Failed).ToListAsync(ct))
            .GroupBy(r => r.CardPaymentId!.Value).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
        return cards.FirstOrDefault(c => c.Amount - c.ReversedAmount - refunded.GetValueOrDefault(c.Id) >= amount)?.Id;
    }
}

/// <summary>Refunds: the endpoints, and the payout to the processor with its retries.</summary>
public static class RefundSetup
{
    public static IServiceCollection AddRefunds(this IServiceCollection services)
    {
        services.ConfigureWolverine(wolverine => wolverine.OnException<RefundPayoutException>()
            .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(12))
            .Then.MoveToErrorQueue());
        return services;
    }
}
