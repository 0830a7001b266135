using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain.Accounts.Paying;
using Marten;
using Wolverine;

namespace Ledger.Api.Accounts.Paying;

/// <summary>The bank's statement line that shows a pending check or transfer arrived: its reference, and the amount it shows.</summary>
public sealed record ConfirmPaymentRequest(decimal? Amount, string? BankReference)
{
    /// <summary>The command a valid request asks for (the API's and the desk page's alike).</summary>
    public SettlePayment ToCommand(Guid accountId, Guid paymentId) =>
        new(accountId, paymentId, Amount!.Value, null, null, ConfirmPaymentEndpoints.BankSource, BankReference!.Trim());
}

public sealed class ConfirmPaymentValidator : AbstractValidator<ConfirmPaymentRequest>
{
    public ConfirmPaymentValidator()
    {
        RuleFor(r => r.Amount).NotNull();
        RuleFor(r => r.BankReference).NotEmpty().MaximumLength(100);
    }
}

/// <summary>Why a pending check or transfer will not arrive: the bank's own code (e.g. AC04 account closed) and words.</summary>
public sealed record FailPaymentRequest(string? ReasonCode, string? Reason)
{
    public FailPayment ToCommand(Guid accountId, Guid paymentId) => new(accountId, paymentId, ReasonCode!, Reason!);
}

public sealed class FailPaymentValidator : AbstractValidator<FailPaymentRequest>
{
    public FailPaymentValidator()
    {
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(35);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>The bank returned a settled check or transfer: its statement line's reference and its return reason (ISO code and words).</summary>
public sealed record ReturnPaymentRequest(string? BankReference, string? ReasonCode, string? Reason);

public sealed class ReturnPaymentValidator : AbstractValidator<ReturnPaymentRequest>
{
    public ReturnPaymentValidator()
    {
        RuleFor(r => r.BankReference).NotEmpty().MaximumLength(100);
        RuleFor(r => r.ReasonCode).NotEmpty().MaximumLength(35);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

/// <summary>
/// A manager settles a pending check or transfer from the bank's statement (its line's reference and amount), or fails
/// one the bank refused. The bank statement import does the same from the file; card payments are the processor's alone.
/// Managers only: the desk that took a check is not the one that says it cleared.
/// </summary>
public static class ConfirmPaymentEndpoints
{
    public const string BankSource = "bank";

    public static void Map(RouteGroupBuilder accounts)
    {
        accounts.MapPost("/{accountId:guid}/payments/{paymentId:guid}/confirmation",
                (Guid accountId, Guid paymentId, ConfirmPaymentRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                    Writes.SendAsync(http, bus, query, body.ToCommand(accountId, paymentId), Charging.PostChargeEndpoint.EntryLocation))
            .Validated<ConfirmPaymentRequest>()
            .RequireAuthorization(AccessPolicies.ConfirmPayments)
            .WithName("ConfirmPayment").Write()
            .WithSummary("Settle a pending check or transfer from the bank's statement: its reference and the amount it shows (managers).");

        accounts.MapPost("/{accountId:guid}/payments/{paymentId:guid}/failure",
                (Guid accountId, Guid paymentId, FailPaymentRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                    Writes.SendAsync(http, bus, query, body.ToCommand(accountId, paymentId), location: null))
            .Validated<FailPaymentRequest>()
            .RequireAuthorization(AccessPolicies.ConfirmPayments)
            .WithName("FailPayment").Write(created: false)
            .WithSummary("Fail a pending check or transfer the bank refused, with its reason code and reason (managers).");

        accounts.MapPost("/{accountId:guid}/payments/{paymentId:guid}/return",
                async (Guid accountId, Guid paymentId, ReturnPaymentRequest body, HttpContext http, IMessageBus bus, IQuerySession query,
                    Microsoft.Extensions.Options.IOptions<PaymentOptions> options) =>
                {
                    // The fee is in the account's currency; an account this caller cannot see gets none and a 404 from the write.
                    var currency = (await query.LoadAsync<Domain.Accounts.Account>(accountId, http.RequestAborted))?.Currency;
                    var fee = options.Value.ReturnedPaymentFeeIn(currency);
                    return await Writes.SendAsync(http, bus, query, new ReversePayment(accountId, paymentId,
                        Domain.DeterministicId.From($"bank-return|{accountId}|{paymentId}|{body.BankReference!.Trim()}"), null, Domain.Accounts.ReversalKind.Returned,
                        BankSource, body.BankReference!, body.ReasonCode!, body.Reason!, fee), location: null);
                })
            .Validated<ReturnPaymentRequest>()
            .RequireAuthorization(AccessPolicies.ConfirmPayments)
            .WithName("ReturnPayment").Write(created: false)
            .WithSummary("The bank returned a settled check or transfer: the money is owed again, with the returned-payment fee where one is set (managers).");
    }
}
