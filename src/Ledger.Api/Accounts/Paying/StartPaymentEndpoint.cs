using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Charging;
using Ledger.Api.Accounts.Paying.Stripe;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Microsoft.AspNetCore.Mvc;

namespace Ledger.Api.Accounts.Paying;

public sealed record StartPaymentRequest(decimal? Amount, PaymentMethod? Method, string? Reference, string? CardBrand, string? CardLast4);

public sealed class StartPaymentValidator : AbstractValidator<StartPaymentRequest>
{
    public StartPaymentValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.Method).NotNull().WithMessage("'method' is one of card, check, transfer, cash.");
    }
}

/// <summary>
/// A payment as it stands: <c>pending</c> (started, waiting for the processor or the bank), <c>settled</c> (the balance
/// fell; <see cref="EntryId"/> is its line) or <c>failed</c>. For a card paid online, <see cref="PaymentPageUrl"/> is the
/// processor's hosted page while it is open and <see cref="ProcessorReference"/> its Checkout Session. A check or
/// transfer carries <see cref="ReferenceToQuote"/>: the creditor reference (ISO 11649) to write on the transfer or
/// the check, by which the bank's statement settles it without anyone's help.
/// </summary>
public sealed record PaymentAnswer(
    Guid Id, Guid AccountId, Guid PaymentId, string Status, decimal? Amount, string Currency, PaymentMethod? Method, string? Reference,
    string? ProcessorReference, string? PaymentPageUrl, Guid? EntryId, long Version, decimal Balance, string? ReferenceToQuote = null);

public static class StartPaymentEndpoint
{
    public static void Map(RouteGroupBuilder accounts)
    {
        accounts.MapPost("/{accountId:guid}/payments", async (Guid accountId, StartPaymentRequest body, HttpContext http, PaymentStarts payments) =>
            {
                var context = Writes.Context(http);
                if (Writes.BadIdempotencyKey(context) is { } refused)
                    return refused;
                try
                {
                    return ToHttp(await payments.StartAsync(accountId, body, context, http.RequestAborted), http);
                }
                catch (ProcessorUnavailableException e)
                {
                    http.RequestServices.GetRequiredService<ILogger<PaymentStarts>>().LogError(e, "Card payment on account {AccountId} not started", accountId);
                    http.Response.Headers.RetryAfter = "60";
                    return Problems.Rule(new Rejection("payment-processor-unavailable",
                        "Card payments online cannot be taken right now; nothing was charged or recorded. Try again later, or pay by transfer or check."),
                        StatusCodes.Status503ServiceUnavailable);
                }
            })
            .Validated<StartPaymentRequest>()
            .RequireAuthorization(AccessPolicies.SelfServiceWrite)
            .WithName("StartPayment").Produces<PaymentAnswer>(StatusCodes.Status201Created).Produces<PaymentAnswer>(StatusCodes.Status202Accepted).Write(answers: false)
            .WithSummary("Pay, or record a payment. A customer's card goes to the processor's hosted page (202, pending); checks and transfers " +
                         "are pending until the bank confirms them (202); the desk's cash and terminal card settle at once (201).");

        accounts.MapGet("/{accountId:guid}/payments/{paymentId:guid}", async (Guid accountId, Guid paymentId, HttpContext http, PaymentStarts payments) =>
                await payments.DescribeAsync(accountId, paymentId, Actor.From(http.User), http.RequestAborted) is { } answer
                    ? Results.Ok(answer)
                    : Problems.NotFound($"Payment {paymentId} on account {accountId}"))
            .RequireAuthorization(AccessPolicies.ReadAccounts)
            .WithName("GetPayment").Produces<PaymentAnswer>()
            .WithSummary("Where a payment stands: pending, settled or failed (and, while open, the processor's page to pay it on).");
    }

    private static IResult ToHttp(PaymentStart start, HttpContext http)
    {
        if (Writes.Refusal(start.Outcome) is { } refused)
            return start.Outcome.ToHttp(http, null);
        if (start.Answer is not { } answer)
            return Problems.NotFound($"Payment on account {start.Outcome.AccountId}");
        http.Response.Headers.ETag = ETags.For(answer.Version);
        return answer.Status == PaymentStarts.Settled
            ? TypedResults.Created(PostChargeEndpoint.EntryLocation(start.Outcome), answer)
            : TypedResults.Accepted($"/api/accounts/{answer.AccountId}/payments/{answer.PaymentId}", answer);
    }
}
