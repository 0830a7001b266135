using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Ledger.Api.Accounts.Paying;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.BankStatements.Camt;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Paying;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Domain.BankStatements;
using Ledger.Domain.Payments;
using Ledger.Projections.Payments;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Marten.Exceptions;
using Microsoft.Extensions.Options;
using Wolverine;

namespace Ledger.Api.BankStatements;

public static class LineOutcomes
{
    public const string Settled = "settled";
    public const string Received = "received";
    public const string Returned = "returned";
    public const string Failed = "failed";
    public const string Queued = "queued";
    public const string Duplicate = "duplicate";
    public const string Ignored = "ignored";
    public const string RefundSettled = "refund-settled";
    public const string RefundReturned = "refund-returned";
}

/// <summary>What became of one transaction of the file, where it is (<see cref="Place"/>: its path in the file) and why.</summary>
public sealed record ImportedLine(
    Guid? LineId, string BankReference, string Place, decimal? Amount, string Currency, string Outcome, string? Rule, string? Detail, Guid? AccountId,
    Guid? PaymentId);

/// <summary>The answer to an import: the counts, and each transaction's outcome in the file's order.</summary>
public sealed record ImportAnswer(
    Guid ImportId, string Message, string MessageId, string Sha256, int Entries, int Settled, int Queued, int Returned, int Duplicates, int Ignored,
    IReadOnlyList<ImportedLine> Lines);

/// <summary>
/// Feeds a bank file into the ledger, line by line in the file's order (a check deposited and returned in one file is
/// settled, then returned). Each booked line is matched and applied through the one write path, then recorded on its
/// own stream; a line already recorded — the same file again, the day's notification then its statement — is a
/// duplicate and changes nothing. Applying first and recording after is safe across a crash: every write a line makes
/// has ids derived from the line, so a line applied but not recorded is applied again as nothing new and recorded.
/// </summary>
public sealed partial class BankStatementImport(
    IMessageBus bus, IQuerySession query, IDocumentStore store, IOptions<PaymentOptions> options, TimeProvider clock, ILogger<BankStatementImport> log)
{
    public async Task<ImportAnswer> ImportAsync(CamtFile file, byte[] content, RequestContext context, CancellationToken ct)
    {
        var lines = new List<ImportedLine>();
        foreach (var transaction in file.Transactions)
            lines.Add(await LineAsync(file, transaction, context, ct));

        var importId = Guid.CreateVersion7();
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        int Count(params string[] outcomes) => lines.Count(l => outcomes.Contains(l.Outcome));
        var answer = new ImportAnswer(importId, file.Message, file.MessageId, sha, lines.Count,
            Count(LineOutcomes.Settled, LineOutcomes.Received, LineOutcomes.RefundSettled), Count(LineOutcomes.Queued),
            Count(LineOutcomes.Returned, LineOutcomes.Failed, LineOutcomes.RefundReturned),
            Count(LineOutcomes.Duplicate), Count(LineOutcomes.Ignored), lines);
        await using var session = store.LightweightSession();
        EventMetadata.Stamp(session, context);
        session.Events.StartStream(importId, new BankStatementImported(importId, file.Message, file.MessageId, sha, answer.Entries, answer.Settled,
            answer.Queued, answer.Returned, answer.Duplicates, answer.Ignored, clock.GetUtcNow()));
        await session.SaveChangesAsync(ct);
        log.LogInformation("Bank file {Message} {MessageId} ({Sha}) imported by {User}: {Entries} lines, {Settled} settled, {Queued} queued, " +
                           "{Returned} returned, {Duplicates} duplicates, {Ignored} ignored", file.Message, file.MessageId, sha, context.Actor.UserId,
            answer.Entries, answer.Settled, answer.Queued, answer.Returned, answer.Duplicates, answer.Ignored);
        return answer;
    }

    private async Task<ImportedLine> LineAsync(CamtFile file, CamtTransaction t, RequestContext context, CancellationToken ct)
    {
        ImportedLine Answer(Guid? lineId, string outcome, string? rule = null, string? detail = null, Guid? accountId = null, Guid? paymentId = null) =>
            new(lineId, t.BankReference, t.Place, t.Amount, t.Currency, outcome, rule, detail, accountId, paymentId);

        if (!t.Booked)
            return Answer(null, LineOutcomes.Ignored, "not-booked", "Pending or informational at the bank: not money yet.");
        // Money out, or money of ours coming back, may be a refund by transfer: looked up once.
        var refund = t.IsCredit && t.ReturnReasonCode is null ? null : await RefundForAsync(t, ct);
        if (!t.IsCredit && !t.IsReturn && refund is null)
            return Answer(null, LineOutcomes.Ignored, "not-a-payment", "Money out that is neither a customer's payment returned nor a refund (a fee, a transfer out).");
        var lineId = BankLine.IdFor(t.BankAccount, t.BankReference);
        if (await query.LoadAsync<BankLine>(lineId, ct) is { Status: not BankLineStatus.Recorded } known)
            return Answer(lineId, LineOutcomes.Duplicate, "bank-line-known", $"Already recorded ({known.Status}).", known.AccountId, known.PaymentId);

        // The line is recorded first, then placed under its stream's lock: two imports of the same line at once place it
        // once (the second waits, then finds it placed), and a line recorded before a crash is placed by the next import.
        await RecordAsync(file, t, lineId, context, ct);
        await using var session = store.LightweightSession();
        EventMetadata.Stamp(session, context);
        var stream = await session.Events.FetchForExclusiveWriting<BankLine>(lineId, ct);
        if (stream.Aggregate is { Status: not BankLineStatus.Recorded } placed)
            return Answer(lineId, LineOutcomes.Duplicate, "bank-line-known", $"Placed by an import running at the same time ({placed.Status}).",
                placed.AccountId, placed.PaymentId);

        var result = refund is not null
            ? await RefundLineAsync(t, refund, lineId, context, ct)
            : t.IsCredit ? await CreditAsync(t, lineId, context, ct) : await ReturnAsync(t, lineId, context, ct);
        var now = clock.GetUtcNow();
        stream.AppendOne(result.Outcome == LineOutcomes.Queued
            ? new BankLineQueued(lineId, result.Rule!, result.Detail!, result.AccountId, result.PaymentId, now)
            : new BankLineMatched(lineId, result.AccountId!.Value, result.PaymentId!.Value, result.MatchedBy!, result.Outcome, now));
        await session.SaveChangesAsync(ct);
        return Answer(lineId, result.Outcome, result.Rule, result.Detail, result.AccountId, result.PaymentId);
    }

    private async Task RecordAsync(CamtFile file, CamtTransaction t, Guid lineId, RequestContext context, CancellationToken ct)
    {
        try
        {
            await using var session = store.LightweightSession();
            EventMetadata.Stamp(session, context);
            session.Events.StartStream(lineId, Recorded(file, t, lineId, clock.GetUtcNow()));
            await session.SaveChangesAsync(ct);
        }
        catch (ExistingStreamIdCollisionException)
        {
            // recorded by another import, or by one that stopped before placing it
        }
    }

    internal sealed record LineResult(string Outcome, string? Rule, string? Detail, Guid? AccountId, Guid? PaymentId, string? MatchedBy)
    {
        public static LineResult Queue(string rule, string detail, Guid? accountId = null, Guid? paymentId = null) =>
            new(LineOutcomes.Queued, rule, detail, accountId, paymentId, null);
    }

    private async Task<LineResult> CreditAsync(CamtTransaction t, Guid lineId, RequestContext context, CancellationToken ct)
    {
        if (t.Amount is not { } amount)
            return LineResult.Queue("amount-unknown", "The bank's batch gives no amount for this transaction.");
        var (payment, matchedBy) = await PaymentForAsync(t, ct);
        if (payment is not null)
        {
            if (payment.Status == PaymentStatus.Settled && payment.ConfirmationReference == t.BankReference)
                return new(LineOutcomes.Settled, null, null, payment.AccountId, payment.Id, matchedBy); // applied before a crash
            if (payment.Status != PaymentStatus.Pending)
                return LineResult.Queue("payment-not-pending", $"Found payment {payment.Id} by its {matchedBy}, but it is {payment.Status}.",
                    payment.AccountId, payment.Id);
            if (payment.Amount != amount)
                return LineResult.Queue("amount-differs", $"Found payment {payment.Id} by its {matchedBy}: pending for {payment.Amount}, the bank shows {amount}.",
                    payment.AccountId, payment.Id);
            var settle = new ApplyBankCredit(payment.AccountId, payment.Id, BankLine.OwnPaymentIdFor(lineId), amount, t.Currency, payment.Method,
                null, t.BankReference);
            return await ApplyAsync(settle, lineId, LineOutcomes.Settled, matchedBy!, context, ct);
        }
        if (await AccountForAsync(t, ct) is { } account)
        {
            var receive = new ApplyBankCredit(account.Id, null, BankLine.OwnPaymentIdFor(lineId), amount, t.Currency,
                t.IsCheck ? PaymentMethod.Check : PaymentMethod.Transfer, t.CheckNumber ?? t.EndToEndId, t.BankReference);
            return await ApplyAsync(receive, lineId, LineOutcomes.Received, "account-number", context, ct);
        }
        return LineResult.Queue("no-match", "No pending payment has its reference or check number, and it names no account number.");
    }

    private async Task<LineResult> ReturnAsync(CamtTransaction t, Guid lineId, RequestContext context, CancellationToken ct)
    {
        var (payment, matchedBy) = await PaymentForAsync(t, ct, settled: true);
        if (payment is null)
            return LineResult.Queue("return-unmatched", "No payment has the returned item's reference or check number.");
        var code = t.ReturnReasonCode ?? "NARR";
        var reason = ReturnReasons.Describe(code, t.ReturnReasonText);
        if (payment.Status == PaymentStatus.Pending)
            return await ApplyAsync(new FailPayment(payment.AccountId, payment.Id, code, reason), lineId, LineOutcomes.Failed, matchedBy!, context, ct);
        var account = await query.LoadAnywhereAsync<Account>(payment.AccountId, ct);
        if (account is not null && account.Currency != t.Currency)
            return LineResult.Queue("currency-differs", $"The return is in {t.Currency}; the account is kept in {account.Currency}.", payment.AccountId, payment.Id);
        var reverse = new ReversePayment(payment.AccountId, payment.Id, BankLine.ReversalIdFor(lineId), t.Amount, ReversalKind.Returned,
            ApplyBankCredit.Source, t.BankReference, code, reason, options.Value.ReturnedPaymentFeeIn(account?.Currency));
        return await ApplyAsync(reverse, lineId, LineOutcomes.Returned, matchedBy!, context, ct);
    }

    /// <summary>
    /// A refund by transfer on the bank's statement: money out quoting its reference settles it; the same money coming
    /// back (a credit with return information) fails it, so the credit is the customer's again.
    /// </summary>
    private async Task<LineResult> RefundLineAsync(CamtTransaction t, RefundView refund, Guid lineId, RequestContext context, CancellationToken ct)
    {
        if (t.IsCredit)
        {
            var code = t.ReturnReasonCode ?? "NARR";
            return await ApplyAsync(new FailRefund(refund.AccountId, refund.Id, code, ReturnReasons.Describe(code, t.ReturnReasonText)), lineId,
                LineOutcomes.RefundReturned, "reference", context, ct);
        }
        if (t.Amount != refund.Amount)
            return LineResult.Queue("amount-differs", $"Found refund {refund.Id} by its reference: {refund.Amount} sent, the bank shows {t.Amount}.",
                refund.AccountId);
        return await ApplyAsync(new SettleRefund(refund.AccountId, refund.Id, ApplyBankCredit.Source, t.BankReference), lineId, LineOutcomes.RefundSettled,
            "reference", context, ct);
    }

    /// <summary>The refund by transfer a line quotes the creditor reference of, if any.</summary>
    private async Task<RefundView?> RefundForAsync(CamtTransaction t, CancellationToken ct)
    {
        foreach (var reference in t.QuotedReferences)
            if ((await query.QueryAnywhereAsync<RefundView>(refunds => refunds.Where(r => r.Reference == reference && r.Method == RefundMethod.Transfer).Take(1), ct))
                .FirstOrDefault() is { } refund)
                return refund;
        return null;
    }

    /// <summary>Applies a line's write; a refusal puts the line in the queue with the rule that refused, next to what it matched.</summary>
    private async Task<LineResult> ApplyAsync(IAccountCommand command, Guid lineId, string outcome, string matchedBy, RequestContext context,
        CancellationToken ct)
    {
        var write = new AccountWrite(command, context with { IdempotencyKey = $"bank-line:{lineId}", RequestHash = $"bank-line:{lineId}" });
        var result = await Writes.OutcomeAsync(bus, query, write, ct);
        var paymentId = command switch
        {
            ApplyBankCredit credit => credit.PaymentId ?? credit.OwnPaymentId,
            ReversePayment reversal => reversal.PaymentId,
            FailPayment failure => failure.PaymentId,
            SettleRefund settled => settled.RefundId,
            FailRefund failed => failed.RefundId,
            _ => (Guid?)null,
        };
        return result.Kind == OutcomeKind.Applied
            ? new LineResult(outcome, null, null, command.AccountId, paymentId, matchedBy)
            : LineResult.Queue(result.Rejection?.Rule ?? "account-unknown", result.Rejection?.Message ?? $"Account {command.AccountId} is not in this ledger.",
                command.AccountId, (command as ApplyBankCredit)?.PaymentId ?? paymentId);
    }

    /// <summary>
    /// The payment a line names: by a creditor reference (ISO 11649) anywhere in its references or remittance text,
    /// else a check by its number, else a payment whose own reference is the line's end-to-end id. A pending one for a
    /// credit; for a return, the settled one it undoes (or a pending check the bank never paid).
    /// </summary>
    private async Task<(PaymentView? Payment, string? MatchedBy)> PaymentForAsync(CamtTransaction t, CancellationToken ct, bool settled = false)
    {
        var wanted = settled ? new[] { PaymentStatus.Settled, PaymentStatus.Pending, PaymentStatus.Returned } : [PaymentStatus.Pending];
        foreach (var reference in t.QuotedReferences)
        {
            // The payment it was quoted for, or the one that replaced it when the money arrived for another amount.
            var quoted = await query.QueryAnywhereAsync<PaymentView>(payments => payments.Where(p => p.ReferenceToQuote == reference || p.Reference == reference).Take(5), ct);
            if ((quoted.FirstOrDefault(p => wanted.Contains(p.Status)) ?? quoted.FirstOrDefault()) is { } byReference)
                return (byReference, "reference");
        }
        if (t.CheckNumber is { } number)
        {
            var checks = await query.QueryAnywhereAsync<PaymentView>(payments => payments
                .Where(p => p.Method == PaymentMethod.Check && p.Reference == number && p.Status.IsOneOf(wanted)).Take(2), ct);
            if (checks.Count == 1)
                return (checks[0], "check-number");
        }
        if (t.EndToEndId is { } endToEnd)
        {
            var named = await query.QueryAnywhereAsync<PaymentView>(payments => payments
                .Where(p => p.Method != PaymentMethod.Card && p.Reference == endToEnd && p.Status.IsOneOf(wanted)).Take(2), ct);
            if (named.Count == 1)
                return (named[0], "end-to-end-id");
        }
        return (null, null);
    }

    /// <summary>The account whose number (e.g. 7KQ2-M9XD-3F8A) the payer wrote in the line's text or references.</summary>
    private async Task<Account?> AccountForAsync(CamtTransaction t, CancellationToken ct)
    {
        var numbers = new[] { t.Remittance, t.EndToEndId, t.CreditorReference }.Where(s => s is not null)
            .SelectMany(s => AccountNumber().Matches(s!.ToUpperInvariant()).Select(m => m.Value)).Distinct().ToList();
        if (numbers.Count != 1)
            return null; // none, or two accounts named: the desk decides
        return (await query.QueryAnywhereAsync<Account>(accounts => accounts.Where(a => a.AccountNumber == numbers[0]).Take(1), ct)).FirstOrDefault();
    }

    [GeneratedRegex(@"(?<![0-9A-Z])[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}(?![0-9A-Z])")]
    private static partial Regex AccountNumber();

    private static BankLineRecorded Recorded(CamtFile file, CamtTransaction t, Guid lineId, DateTimeOffset now) =>
        new(lineId, t.BankAccount, t.BankReference, file.Message, file.MessageId, t.StatementId, t.BookedOn, t.Amount ?? 0m, t.Currency,
            t.IsCredit ? BankLineKind.Credit : BankLineKind.Return, Kept(t.EndToEndId), Kept(t.CheckNumber), Kept(t.CreditorReference), Kept(t.Remittance),
            Kept(t.PayerName), t.ReturnReasonCode, Kept(t.ReturnReasonText), t.BankTransactionCode, now);

    /// <summary>The bank's text as written, unless it holds what looks like a card number: that is never stored.</summary>
    private static string? Kept(string? text) => CardNumbers.LooksLikeCardNumber(text) ? "[withheld: it looked like a card number]" : text;
}
