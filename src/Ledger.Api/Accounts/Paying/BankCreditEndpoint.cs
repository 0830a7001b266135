using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Paying;

/// <summary>
/// Money the bank saw arrive, as a bank feed reports it, one credit at a time: on the payments queue or over HTTP, the
/// same JSON. Applied as the bank statement import applies a credit — settling the pending check or transfer named by
/// <see cref="PaymentId"/>, or a payment of its own whose id follows from who sent it and its key, so the same credit
/// sent twice (or once on each path by the same client) is one payment.
/// </summary>
public sealed record BankCreditItem(string? IdempotencyKey, Guid? AccountId, Guid? PaymentId, decimal? Amount, string? Currency, string? Method,
    string? Reference, string? BankReference)
{
    public ApplyBankCredit ToCommand(RequestContext context) => new(AccountId!.Value, PaymentId,
        DeterministicId.From($"intake:{context.Actor.UserId}:{IdempotencyKey}"), Amount!.Value, Currency!.ToUpperInvariant(),
        Method == "check" ? PaymentMethod.Check : PaymentMethod.Transfer, Reference, BankReference!);
}

public sealed class BankCreditValidator : AbstractValidator<BankCreditItem>
{
    public BankCreditValidator()
    {
        RuleFor(i => i.IdempotencyKey).NotEmpty().Must(k => k is null || Writes.IsSafeToken(k))
            .WithMessage("'idempotencyKey' is 1 to 100 characters of letters, digits, '-', '_', '.' or ':'.");
        RuleFor(i => i.AccountId).NotNull().NotEqual(Guid.Empty);
        RuleFor(i => i.Amount).NotNull().GreaterThan(0);
        RuleFor(i => i.Currency).NotEmpty().Length(3);
        RuleFor(i => i.Method).NotEmpty().Must(m => m is "transfer" or "check").WithMessage("'method' is \"transfer\" or \"check\".");
        RuleFor(i => i.Reference).MaximumLength(140);
        RuleFor(i => i.BankReference).NotEmpty().MaximumLength(100);
    }
}

/// <summary>The HTTP face of the payments queue, for a bank feed that calls rather than publishes.</summary>
public static class BankCreditEndpoint
{
    public const string KeyMismatch = "idempotency-key-mismatch";

    public static void Map(WebApplication app) => app
        .MapPost("/api/bank-credits", (BankCreditItem body, HttpContext http, IMessageBus bus, IQuerySession query) =>
        {
            // The key is the message's, as on the queue; a header that says otherwise is a client confused about which one counts.
            var header = http.Request.Headers[Writes.IdempotencyKeyHeader].ToString();
            if (header.Length > 0 && header != body.IdempotencyKey)
                return Task.FromResult<IResult>(Problems.Rule(new Rejection(KeyMismatch,
                    "The Idempotency-Key header differs from the body's 'idempotencyKey'; send the key once, in the body.", Writes.IdempotencyKeyHeader), 400));
            var context = Writes.Context(http) with { IdempotencyKey = body.IdempotencyKey };
            return Writes.SendAsync(http, bus, query, body.ToCommand(context),
                o => $"/api/accounts/{o.AccountId}/payments/{o.ResourceId}", context);
        })
        .Validated<BankCreditItem>()
        .RequireAuthorization(AccessPolicies.ApplyBankCredits)
        .WithTags("Bank statements")
        .WithName("ApplyBankCredit").Write(ifMatch: false)
        .WithSummary("Money the bank saw arrive, as a bank feed reports it (the payments queue's message, over HTTP): settles the pending check or " +
                     "transfer named by paymentId, else becomes a payment of its own; the same idempotencyKey again changes nothing " +
                     "(managers; systems with ledger.payments.write).");
}
