using Ledger.Domain.Accounts;

namespace Ledger.Domain.Statements;

/// <summary>
/// Builds a bill from the account's recorded events: every posting committed after the previous bill's last
/// covered version and at or before the cut-off. Corrections of entries billed earlier appear as adjustments.
/// The same events and cut-off always compose the same content, which is how a reprint is verified.
/// </summary>
/// <summary>A payment pending when a bill was composed: listed apart on it, not counted in what it says is due.</summary>
public sealed record PendingLine(Guid PaymentId, DateTimeOffset InitiatedAt, PaymentMethod Method, string? Reference, decimal Amount);

public static class Composing
{
    public const int DaysToPay = 21;

    public static StatementContent? Compose(IReadOnlyList<RecordedEvent> stream, DateTimeOffset cutoff, Guid statementId)
    {
        var previous = stream.Select(e => e.Data).OfType<StatementIssued>().LastOrDefault()?.Content;
        if (previous is not null && cutoff <= previous.PeriodEnd)
            return null; // this period is already billed: a rerun issues nothing
        // The bill covers a run of versions, stopping at the first event committed after the cut-off: commit
        // timestamps of racing writers can be out of version order, and a version skipped now would never be billed.
        var covered = stream.Where(e => e.Version > (previous?.CoveredThroughVersion ?? 0)).OrderBy(e => e.Version)
            .TakeWhile(e => e.RecordedAt <= cutoff).ToList();
        var coveredThrough = covered.Count == 0 ? previous?.CoveredThroughVersion ?? 0 : covered[^1].Version;
        var history = stream.Where(e => e.Version <= coveredThrough).ToList();
        if (history.Select(e => e.Data).Aggregate((Account?)null, Account.Evolve) is null)
            return null; // an account opened after the cut-off has nothing to bill for that period
        return ComposeFrom(history, previous, covered, cutoff, statementId);
    }

    /// <summary>
    /// Recomposes an issued bill from the stream as it stood when the bill was issued (every event before it),
    /// to compare with what the bill recorded. Null when the bill is not in the stream.
    /// </summary>
    public static StatementContent? Recompose(IReadOnlyList<RecordedEvent> stream, Guid statementId)
    {
        var issuedAt = stream.FirstOrDefault(e => e.Data is StatementIssued s && s.Content.StatementId == statementId);
        if (issuedAt is null)
            return null;
        var issued = ((StatementIssued)issuedAt.Data).Content;
        return Compose(stream.Where(e => e.Version < issuedAt.Version).ToList(), issued.PeriodEnd, statementId);
    }

    private static StatementContent? ComposeFrom(IReadOnlyList<RecordedEvent> stream, StatementContent? previous, List<RecordedEvent> covered,
        DateTimeOffset cutoff, Guid statementId)
    {
        var account = stream.Select(e => e.Data).Aggregate((Account?)null, Account.Evolve)!;
        var lines = Lines(stream, covered);
        var opening = previous?.ClosingBalance ?? 0m;
        var closing = opening + lines.Sum(l => l.Amount);
        if (previous is not null && lines.Count == 0 && closing == 0m)
            return null; // nothing happened and nothing is owed: no bill
        var coveredThrough = covered.Count == 0 ? previous?.CoveredThroughVersion ?? 0 : covered.Max(e => e.Version);
        return new StatementContent(statementId, account.Id, account.AccountNumber, account.HolderName, account.Address, account.Currency,
            previous?.PeriodEnd ?? account.OpenedAt, cutoff, opening, lines, closing, Math.Max(0m, closing),
            DateOnly.FromDateTime(cutoff.UtcDateTime).AddDays(DaysToPay), coveredThrough);
    }

    /// <summary>
    /// The bill line of one recorded event (null: the event is not a line). <paramref name="descriptions"/> names the entries
    /// corrections refer to; a correction is an adjustment when the entry it corrects is not in <paramref name="inPeriod"/>,
    /// that is, it was billed on an earlier bill (<see cref="Lines"/> gives both; consolidated bills draw their members' lines with it).
    /// </summary>
    private static StatementLine? Line(object e, Dictionary<Guid, string> descriptions, HashSet<Guid> inPeriod) => e switch
    {
        ChargePosted c => new StatementLine(c.EntryId, "charge", c.PostedAt, c.Description, c.Amount, false),
        PaymentReceived p => new StatementLine(p.EntryId, "payment", p.ReceivedAt,
            p.Method == PaymentMethod.Card ? $"Payment, {p.CardBrand} card ending {p.CardLast4}" : $"Payment by {p.Method.ToString().ToLowerInvariant()}",
            -p.Amount, false),
        CreditIssued c => new StatementLine(c.EntryId, "credit", c.IssuedAt, $"Credit: {c.Reason}", -c.Amount, false),
        RefundSettled r => new StatementLine(r.RefundId, "refund", r.SettledAt,
            r.Method == RefundMethod.Card ? "Refund of your credit balance to your card" : "Refund of your credit balance by bank transfer", r.Amount, false),
        EntryCorrected c => new StatementLine(c.CorrectionId, "correction", c.CorrectedAt,
            $"Correction of {descriptions.GetValueOrDefault(c.EntryId, "an earlier entry")}: {c.Reason}", c.BalanceEffect, !inPeriod.Contains(c.EntryId)),
        CorrectionReversed r => new StatementLine(r.ReversalId, "correction-reversal", r.ReversedAt,
            $"Reversal of a correction: {r.Reason}", r.BalanceEffect, !inPeriod.Contains(r.EntryId)),
        // Money of a payment that went back to the payer is owed again; a chargeback won takes it off once more.
        PaymentReversed r => new StatementLine(r.ReversalId, r.Kind == ReversalKind.Chargeback ? "chargeback" : "returned-payment", r.ReversedAt,
            $"{(r.Kind == ReversalKind.Chargeback ? "Chargeback" : "Returned payment")}: {r.Reason}", r.Amount, !inPeriod.Contains(r.PaymentId)),
        PaymentReinstated r => new StatementLine(r.ReversalId, "chargeback-won", r.ReinstatedAt, "Chargeback decided in our favour: the payment stands",
            -r.Amount, !inPeriod.Contains(r.PaymentId)),
        _ => null,
    };

    /// <summary>
    /// The payments still pending as the bill stands (every event it covers, none after): shown apart on the bill, never
    /// in its amount due. Derived from the same events as the bill, so a re-render from the record draws the same list.
    /// </summary>
    public static IReadOnlyList<PendingLine> PendingOn(IReadOnlyList<RecordedEvent> stream, StatementContent bill) =>
        stream.Where(e => e.Version <= bill.CoveredThroughVersion).OrderBy(e => e.Version).Select(e => e.Data)
            .Aggregate((Account?)null, Account.Evolve)?.PendingPayments
            .OrderBy(p => p.Value.InitiatedAt).ThenBy(p => p.Key)
            .Select(p => new PendingLine(p.Key, p.Value.InitiatedAt, p.Value.Method, p.Value.Reference, p.Value.Amount)).ToList() ?? [];

    /// <summary>The lines of the <paramref name="covered"/> events, with <paramref name="history"/> (everything up to them) naming what corrections correct.</summary>
    public static List<StatementLine> Lines(IReadOnlyList<RecordedEvent> history, IReadOnlyList<RecordedEvent> covered)
    {
        var entries = history.Select(e => e.Data).OfType<IEntryEvent>().Aggregate(new Dictionary<Guid, string>(), (d, e) =>
        {
            if (e is ChargePosted c) d[c.EntryId] = c.Description;
            if (e is CreditIssued cr) d[cr.EntryId] = cr.Reason;
            if (e is PaymentReceived p) d[p.EntryId] = "Payment";
            if (e is RefundSettled r) d[r.RefundId] = "Refund";
            return d;
        });
        var inPeriod = covered.Select(e => e.Data).Where(d => d is ChargePosted or PaymentReceived or CreditIssued or RefundSettled)
            .Cast<IEntryEvent>().Select(e => e.EntryId).ToHashSet();
        return covered.Select(e => Line(e.Data, entries, inPeriod)).OfType<StatementLine>().ToList();
    }

    public static Guid StatementIdFor(Guid accountId, DateTimeOffset cutoff) => DeterministicId.From($"statement\u001f{accountId}\u001f{cutoff.UtcTicks}");
}
