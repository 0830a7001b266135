using Ledger.Api.Access;
using Ledger.Api.Accounts.Paying.Stripe;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Payments;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Approvals;
using Ledger.Projections.Payments;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.Accounts.Paying;

/// <summary>What starting a payment came to: the write's outcome, and the payment as it stands when it was written.</summary>
public sealed record PaymentStart(CommandOutcome Outcome, PaymentAnswer? Answer);

/// <summary>
/// Starts payments for the API and the portal alike. A customer's card goes to the processor first: the ledger decides
/// on the account as it stands (so a payment it would refuse never reaches the processor), opens the hosted page, then
/// records the payment with the page's reference through the one write path, which decides again under the account's
/// lock; a payment refused there has its page closed. Everything else is one write.
/// </summary>
public sealed class PaymentStarts(IMessageBus bus, IQuerySession query, CardCheckout checkout, IOptions<PaymentOptions> payments,
    IOptions<LedgerOptions> ledger, TimeProvider clock)
{
    public const string Settled = PaymentStatus.Settled;

    public async Task<PaymentStart> StartAsync(Guid accountId, StartPaymentRequest request, RequestContext context, CancellationToken ct)
    {
        if (context.IdempotencyKey is { } key && await Writes.Replay(query, context, key, ct) is { } replayed)
            return await AgainAsync(replayed, context.Actor, ct);

        // A retried request draws the same payment id, so the processor (whose idempotency key it is) opens no second page.
        var paymentId = context.IdempotencyKey is { } retried
            ? Buckets.Place(DeterministicId.From($"payment|{context.Actor.UserId}|{retried}"), Buckets.Of(accountId))
            : Buckets.NewIdBeside(accountId);
        var command = new StartPayment(accountId, paymentId, request.Amount!.Value, request.Method!.Value, request.Reference, null,
            request.CardBrand, request.CardLast4, payments.Value.PrepaymentAllowance);
        var poster = new Poster(context.Actor.UserId, context.Actor.Role);
        string? pageUrl = null;
        if (command.Method == PaymentMethod.Card && poster.Role == Poster.Customer)
        {
            var account = await query.LoadAsync<Account>(accountId, ct);
            if (account is null || !context.Actor.CanSee(account))
                return new(CommandOutcome.NotFound(accountId), null);
            if ((command.Decide(account, new Facts(context.Now(clock), poster, ledger.Value.PostingCeiling)).Rejection
                 ?? CardCheckout.Refuses(command.Amount, account.Currency)) is { } refused)
                return new(CommandOutcome.Refused(accountId, account.Version, refused), null);
            var page = await checkout.OpenAsync(account, paymentId, command.Amount, ct);
            (command, pageUrl) = (command with { ProcessorReference = page.SessionId }, page.Url);
        }

        var outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command, context), ct);
        if (outcome.Kind != OutcomeKind.Applied)
        {
            if (command.ProcessorReference is { } opened)
                await checkout.CloseAsync(opened, ct);
            return new(outcome, null);
        }
        if (outcome.ResourceId != paymentId)
            return await AgainAsync(outcome, context.Actor, ct); // a racing request with the same key won
        var settled = command.SettlesAtOnce(poster);
        return new(outcome, new PaymentAnswer(paymentId, accountId, paymentId, settled ? PaymentStatus.Settled : PaymentStatus.Pending, command.Amount,
            outcome.Currency!, command.Method, command.Reference?.Trim(), command.ProcessorReference, pageUrl, settled ? paymentId : null,
            outcome.Version, outcome.Balance!.Value,
            !settled && command.Method is PaymentMethod.Check or PaymentMethod.Transfer ? BankReferences.For(paymentId) : null));
    }

    /// <summary>The payment as it stands now, if <paramref name="viewer"/> may see its account.</summary>
    public async Task<PaymentAnswer?> DescribeAsync(Guid accountId, Guid paymentId, Actor viewer, CancellationToken ct)
    {
        var batch = query.CreateBatchQuery();
        var (paymentQuery, accountQuery) = (batch.Load<PaymentView>(paymentId), batch.Load<Account>(accountId));
        await batch.Execute(ct);
        var (payment, account) = (await paymentQuery, await accountQuery);
        if (payment is null || account is null || payment.AccountId != accountId || !viewer.CanSee(account))
            return null;
        var pageUrl = payment is { Status: PaymentStatus.Pending, ProcessorReference: { } session } && checkout.Available
            ? await OpenPageAsync(session, ct)
            : null;
        return new PaymentAnswer(payment.Id, accountId, payment.Id, payment.Status, payment.Amount, account.Currency, payment.Method, payment.Reference,
            payment.ProcessorReference, pageUrl, payment.SettledAt is null ? null : payment.Id, account.Version, account.Balance, payment.ReferenceToQuote);
    }

    /// <summary>A repeated request: the first answer's payment, as it stands now (it may have settled or failed since).</summary>
    private async Task<PaymentStart> AgainAsync(CommandOutcome first, Actor actor, CancellationToken ct) =>
        first.Kind == OutcomeKind.Applied && first.ResourceId is { } paymentId
            ? new(first, await DescribeAsync(first.AccountId, paymentId, actor, ct))
            : new(first, null);

    private async Task<string?> OpenPageAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            return await checkout.PageUrlAsync(sessionId, ct);
        }
        catch (ProcessorUnavailableException)
        {
            return null; // the answer still says where the payment stands; only the link is missing
        }
    }
}
