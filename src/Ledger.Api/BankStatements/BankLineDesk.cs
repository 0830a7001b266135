using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.BankStatements;
using Ledger.Projections.Payments;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.BankStatements;

/// <summary>What the desk did with a queued line: the write's outcome on the account (or a refusal), and the line as it stands.</summary>
public sealed record DeskResult(CommandOutcome? Outcome, Rejection? Refusal, BankLine? Line);

/// <summary>
/// The desk works the reconciliation queue: it assigns a queued line to an account (and, for a pending payment or a
/// returned item, to the payment), or sends a credit back to whoever sent it. The line's stream is locked while its
/// money is applied, so two clerks who open the same line cannot both apply it; the second finds it worked.
/// </summary>
public sealed class BankLineDesk(IMessageBus bus, IQuerySession query, IDocumentStore store, IOptions<PaymentOptions> options, TimeProvider clock)
{
    public async Task<DeskResult> AssignAsync(Guid lineId, Guid accountId, Guid? paymentId, string? note, RequestContext context, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await LockedAsync(session, lineId, context, ct) is not ({ } stream, { } line))
            return new(null, null, null);
        if (line.Workable() is { } worked)
            return new(null, worked, line);

        var recorded = line.Recorded;
        var applied = await AppliedAlreadyAsync(line, ct);
        IAccountCommand? command = null;
        if (applied is null)
        {
            var (built, refusal) = await CommandAsync(line, accountId, paymentId, ct);
            if (refusal is not null)
                return new(null, refusal, line);
            command = built!;
        }
        CommandOutcome? outcome = null;
        if (command is not null)
        {
            outcome = await Writes.OutcomeAsync(bus, query, new AccountWrite(command, context), ct);
            if (outcome.Kind != OutcomeKind.Applied)
                return new(outcome, null, line);
        }
        var (assignedAccount, assignedPayment) = applied ?? (accountId, await PaymentOfAsync(command!, ct));
        var what = recorded.Kind == BankLineKind.Credit
            ? assignedPayment == BankLine.OwnPaymentIdFor(lineId) ? LineOutcomes.Received : LineOutcomes.Settled
            : command is FailPayment ? LineOutcomes.Failed : LineOutcomes.Returned;
        var assigned = new BankLineAssigned(lineId, assignedAccount, assignedPayment, what, note?.Trim() ?? "", clock.GetUtcNow());
        stream.AppendOne(assigned);
        await session.SaveChangesAsync(ct);
        return new(outcome, null, BankLine.Evolve(line, assigned));
    }

    public async Task<DeskResult> ReturnToSenderAsync(Guid lineId, string reason, RequestContext context, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await LockedAsync(session, lineId, context, ct) is not ({ } stream, { } line))
            return new(null, null, null);
        if (line.ReturnableToSender() is { } refusal)
            return new(null, refusal, line);
        if (await AppliedAlreadyAsync(line, ct) is not null)
            return new(null, new Rejection("bank-line-applied", "This line's money was applied to an account already; it cannot be sent back too.",
                IsConflict: true, Reference: lineId), line);
        var returned = new BankLineReturnedToSender(lineId, reason.Trim(), clock.GetUtcNow());
        stream.AppendOne(returned);
        await session.SaveChangesAsync(ct);
        return new(null, null, BankLine.Evolve(line, returned));
    }

    /// <summary>The line's stream, locked for this session's transaction, and the line; nothing for a line that does not exist.</summary>
    private static async Task<(JasperFx.Events.IEventStream<BankLine>? Stream, BankLine? Line)> LockedAsync(IDocumentSession session, Guid lineId,
        RequestContext context, CancellationToken ct)
    {
        if (lineId == Guid.Empty)
            return (null, null); // no line has it, and Marten refuses it as a stream id
        EventMetadata.Stamp(session, context);
        var stream = await session.Events.FetchForExclusiveWriting<BankLine>(lineId, ct);
        return (stream, stream.Aggregate);
    }

    /// <summary>
    /// The write that applies the line where the desk says: a credit to the account (settling the payment named, as
    /// what arrived if the amount differs); a returned item to the settled payment it undoes, or failing the pending
    /// check the bank never paid.
    /// </summary>
    private async Task<(IAccountCommand?, Rejection?)> CommandAsync(BankLine line, Guid accountId, Guid? paymentId, CancellationToken ct)
    {
        var recorded = line.Recorded;
        if (recorded.Kind == BankLineKind.Credit)
            return (new ApplyBankCredit(accountId, paymentId, BankLine.OwnPaymentIdFor(line.Id), recorded.Amount, recorded.Currency,
                recorded.CheckNumber is not null ? PaymentMethod.Check : PaymentMethod.Transfer, recorded.CheckNumber ?? recorded.EndToEndId,
                recorded.BankReference), null);
        if (paymentId is not { } returnedPayment)
            return (null, new Rejection("payment-required", "A returned item undoes a payment: name the payment it returns.", "paymentId"));
        var payment = await query.LoadAnywhereAsync<PaymentView>(returnedPayment, ct);
        if (payment is null || payment.AccountId != accountId)
            return (null, new Rejection("payment-unknown", $"No payment {returnedPayment} was made on account {accountId}.", "paymentId"));
        var code = recorded.ReturnReasonCode ?? "NARR";
        var reason = ReturnReasons.Describe(code, recorded.ReturnReason);
        if (payment.Status == PaymentStatus.Pending)
            return (new FailPayment(accountId, returnedPayment, code, reason), null);
        var currency = (await query.LoadAnywhereAsync<Account>(accountId, ct))?.Currency;
        return (new ReversePayment(accountId, returnedPayment, BankLine.ReversalIdFor(line.Id), recorded.Amount, ReversalKind.Returned,
            ApplyBankCredit.Source, recorded.BankReference, code, reason, options.Value.ReturnedPaymentFeeIn(currency)), null);
    }

    /// <summary>
    /// Where a credit's money already went, if an earlier attempt applied it and stopped before recording that on the
    /// line (a crash): its own payment exists. Assigning it anywhere else would apply the same money twice.
    /// </summary>
    private async Task<(Guid AccountId, Guid PaymentId)?> AppliedAlreadyAsync(BankLine line, CancellationToken ct)
    {
        if (line.Recorded.Kind != BankLineKind.Credit)
            return null;
        var own = await query.LoadAnywhereAsync<PaymentView>(BankLine.OwnPaymentIdFor(line.Id), ct);
        if (own is not null)
            return (own.AccountId, own.Id);
        if (line.PaymentId is { } suggested && await query.LoadAnywhereAsync<PaymentView>(suggested, ct) is { Status: PaymentStatus.Settled } settled
            && settled.ConfirmationReference == line.Recorded.BankReference)
            return (settled.AccountId, settled.Id);
        return null;
    }

    /// <summary>The payment the write settled, received, returned or failed (a credit for another amount than pending is a payment of its own).</summary>
    private async Task<Guid> PaymentOfAsync(IAccountCommand command, CancellationToken ct) => command switch
    {
        ApplyBankCredit credit => credit.PaymentId is { } named && await query.LoadAnywhereAsync<PaymentView>(credit.OwnPaymentId, ct) is null
            ? named
            : credit.OwnPaymentId,
        ReversePayment reversal => reversal.PaymentId,
        FailPayment failure => failure.PaymentId,
        _ => command.AnswerId,
    };
}
