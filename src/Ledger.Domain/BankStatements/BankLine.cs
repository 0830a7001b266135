namespace Ledger.Domain.BankStatements;

/// <summary>What a line of the bank's statement is to the ledger: money in, or money of an earlier credit going back (a returned item).</summary>
public enum BankLineKind { Credit, Return }

/// <summary>
/// A booked line of the bank's own statement (camt.053) or notification (camt.054), as the bank wrote it: its own
/// stream, whose id comes from the bank account and the bank's reference for the line, so that the same line in
/// another file (the day's camt.054, then the statement) is recognised and recorded once.
/// </summary>
public sealed record BankLineRecorded(
    Guid LineId, string BankAccount, string BankReference, string Message, string MessageId, string StatementId, DateOnly? BookedOn,
    decimal Amount, string Currency, BankLineKind Kind, string? EndToEndId, string? CheckNumber, string? CreditorReference, string? Remittance,
    string? PayerName, string? ReturnReasonCode, string? ReturnReason, string? BankTransactionCode, DateTimeOffset RecordedAt);

/// <summary>
/// The line found its payment: <see cref="Outcome"/> says what it did there (settled, received, returned, failed);
/// <see cref="MatchedBy"/> how it was found (the payment's reference, a check number, the account number).
/// </summary>
public sealed record BankLineMatched(Guid LineId, Guid AccountId, Guid PaymentId, string MatchedBy, string Outcome, DateTimeOffset MatchedAt);

/// <summary>The line could not be applied by itself; it waits for the desk, with why and what it looked most like.</summary>
public sealed record BankLineQueued(Guid LineId, string Rule, string Reason, Guid? AccountId, Guid? PaymentId, DateTimeOffset QueuedAt);

/// <summary>The desk applied a queued line to an account (and, for a return, to the payment it undoes).</summary>
public sealed record BankLineAssigned(Guid LineId, Guid AccountId, Guid PaymentId, string Outcome, string Note, DateTimeOffset AssignedAt);

/// <summary>The desk sends a queued credit back to whoever sent it: nothing is applied to any account.</summary>
public sealed record BankLineReturnedToSender(Guid LineId, string Reason, DateTimeOffset ReturnedAt);

public static class BankLineStatus
{
    /// <summary>Recorded, not yet placed (an import is placing it, or stopped before it could; the next one does).</summary>
    public const string Recorded = "recorded";
    public const string Matched = "matched";
    public const string Queued = "queued";
    public const string Assigned = "assigned";
    public const string ReturnedToSender = "returned-to-sender";
}

/// <summary>
/// One bank line and where it went. Only a queued line can be worked: assigned to an account or returned to sender,
/// once — the desk's two clerks who open the same line cannot both apply it.
/// </summary>
public sealed record BankLine(Guid Id, BankLineRecorded Recorded, string Status)
{
    public Guid? AccountId { get; init; }
    public Guid? PaymentId { get; init; }
    public string? Outcome { get; init; }
    public string? MatchedBy { get; init; }
    public string? QueueRule { get; init; }
    public string? QueueReason { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public static Guid IdFor(string bankAccount, string bankReference) =>
        DeterministicId.From($"bank-line\u001f{bankAccount.ToUpperInvariant()}\u001f{bankReference}");

    /// <summary>The id this line's money takes as a payment of its own, and the id of the return it records.</summary>
    public static Guid OwnPaymentIdFor(Guid lineId) => DeterministicId.From($"bank-line-payment\u001f{lineId}");

    public static Guid ReversalIdFor(Guid lineId) => DeterministicId.From($"bank-line-return\u001f{lineId}");

    public static BankLine? Evolve(BankLine? line, object @event) => (line, @event) switch
    {
        (null, BankLineRecorded e) => new BankLine(e.LineId, e, BankLineStatus.Recorded) { UpdatedAt = e.RecordedAt },
        (not null, BankLineMatched e) => line with
        {
            Status = BankLineStatus.Matched, AccountId = e.AccountId, PaymentId = e.PaymentId, Outcome = e.Outcome, MatchedBy = e.MatchedBy,
            UpdatedAt = e.MatchedAt,
        },
        (not null, BankLineQueued e) => line with
        {
            Status = BankLineStatus.Queued, QueueRule = e.Rule, QueueReason = e.Reason, AccountId = e.AccountId, PaymentId = e.PaymentId,
            UpdatedAt = e.QueuedAt,
        },
        (not null, BankLineAssigned e) => line with
        {
            Status = BankLineStatus.Assigned, AccountId = e.AccountId, PaymentId = e.PaymentId, Outcome = e.Outcome, Note = e.Note,
            UpdatedAt = e.AssignedAt,
        },
        (not null, BankLineReturnedToSender e) => line with { Status = BankLineStatus.ReturnedToSender, Note = e.Reason, UpdatedAt = e.ReturnedAt },
        _ => line,
    };

    /// <summary>Whether the desk may still work this line; the refusal names why not.</summary>
    public Rejection? Workable() => Status == BankLineStatus.Queued
        ? null
        : new Rejection("bank-line-not-queued", $"Bank line {Recorded.BankReference} is {Status}; only a queued line can be worked.", IsConflict: true,
            Reference: Id);

    public Rejection? ReturnableToSender() => Workable() ?? (Recorded.Kind == BankLineKind.Credit
        ? null
        : new Rejection("bank-line-is-a-return", "A returned item is money already gone back; assign it to the payment it undoes.", "lineId"));
}

/// <summary>
/// A bank file was imported: which message, its SHA-256, and what became of its lines. One stream per import, so the
/// audit trail shows who fed which file in and when, including a file fed in twice.
/// </summary>
public sealed record BankStatementImported(
    Guid ImportId, string Message, string MessageId, string Sha256, int Entries, int Settled, int Queued, int Returned, int Duplicates, int Ignored,
    DateTimeOffset ImportedAt);
