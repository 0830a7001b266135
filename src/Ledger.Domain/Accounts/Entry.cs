namespace Ledger.Domain.Accounts;

public sealed record CorrectionLink(Guid CorrectionId, decimal Amount, string Reason, DateTimeOffset At, Guid? ReversedBy);

public enum DisputeStatus { Open, Upheld, Rejected }

/// <summary>Money of this payment that went back to the payer (a chargeback, a returned check or transfer), and whether it came back again.</summary>
public sealed record ReversalLink(Guid ReversalId, decimal Amount, ReversalKind Kind, string Reference, string Reason, DateTimeOffset At, DateTimeOffset? ReinstatedAt);

public sealed record DisputeLink(Guid DisputeId, DisputeStatus Status, string Reason, DateTimeOffset OpenedAt, string? ResolutionNote);

/// <summary>
/// One charge, payment or credit with its corrections folded in. <see cref="Remaining"/> is what is still
/// correctable: the original amount less every correction that has not been reversed.
/// </summary>
public sealed record Entry
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public EntryKind Kind { get; init; }
    public DateTimeOffset Date { get; init; }
    public decimal OriginalAmount { get; init; }
    public decimal Remaining { get; init; }
    public string Description { get; init; } = "";
    public string? Category { get; init; }

    /// <summary>How a payment was made; null for charges and credits.</summary>
    public PaymentMethod? Method { get; init; }

    /// <summary>The customer's own category, when they set one.</summary>
    public string? CustomerCategory { get; init; }
    public IReadOnlyList<CorrectionLink> Corrections { get; init; } = [];
    public DisputeLink? Dispute { get; init; }
    public IReadOnlyList<ReversalLink> Reversals { get; init; } = [];

    public static Entry From(ChargePosted e) => New(e.AccountId, e.EntryId, EntryKind.Charge, e.PostedAt, e.Amount, e.Description, e.Category);

    public static Entry From(PaymentReceived e) => New(e.AccountId, e.EntryId, EntryKind.Payment, e.ReceivedAt, e.Amount,
        e.Method == PaymentMethod.Card ? $"Card payment ({e.CardBrand} ending {e.CardLast4})" : $"{e.Method} payment {e.Reference}".Trim(),
        "payment") with { Method = e.Method };

    public static Entry From(RefundSettled e) => New(e.AccountId, e.RefundId, EntryKind.Refund, e.SettledAt, e.Amount,
        e.Method == RefundMethod.Card ? "Refund to card" : "Refund by bank transfer", "refund");

    public static Entry From(CreditIssued e) => New(e.AccountId, e.EntryId, EntryKind.Credit, e.IssuedAt, e.Amount, e.Reason, e.ReasonCode);

    public static Entry? Evolve(Entry? state, object @event) => (state, @event) switch
    {
        (null, ChargePosted e) => From(e),
        (null, PaymentReceived e) => From(e),
        (null, CreditIssued e) => From(e),
        (null, RefundSettled e) => From(e),
        (null, _) => null,
        (_, EntryCorrected e) when e.EntryId == state.Id => state.When(e),
        (_, CorrectionReversed e) when e.EntryId == state.Id => state.When(e),
        (_, ChargeDisputed e) when e.EntryId == state.Id => state.When(e),
        (_, DisputeResolved e) when e.EntryId == state.Id => state.When(e),
        (_, EntryCategorized e) when e.EntryId == state.Id => state with { CustomerCategory = e.Category },
        (_, PaymentReversed e) when e.PaymentId == state.Id => state with
        {
            Remaining = state.Remaining - e.Amount,
            Reversals = [.. state.Reversals, new ReversalLink(e.ReversalId, e.Amount, e.Kind, e.Reference, e.Reason, e.ReversedAt, null)],
        },
        (_, PaymentReinstated e) when e.PaymentId == state.Id => state with
        {
            Remaining = state.Remaining + e.Amount,
            Reversals = [.. state.Reversals.Select(r => r.ReversalId == e.ReversalId ? r with { ReinstatedAt = e.ReinstatedAt } : r)],
        },
        _ => state,
    };

    public Entry When(EntryCorrected e) => this with
    {
        Remaining = Remaining - e.Amount,
        Corrections = [.. Corrections, new CorrectionLink(e.CorrectionId, e.Amount, e.Reason, e.CorrectedAt, null)],
    };

    public Entry When(CorrectionReversed e) => this with
    {
        Remaining = Remaining + e.Amount,
        Corrections = [.. Corrections.Select(c => c.CorrectionId == e.CorrectionId ? c with { ReversedBy = e.ReversalId } : c)],
    };

    public Entry When(ChargeDisputed e) => this with { Dispute = new DisputeLink(e.DisputeId, DisputeStatus.Open, e.Reason, e.OpenedAt, null) };

    public Entry When(DisputeResolved e) => this with
    {
        Dispute = Dispute! with
        {
            Status = e.Outcome == DisputeOutcome.Upheld ? DisputeStatus.Upheld : DisputeStatus.Rejected,
            ResolutionNote = e.Note,
        },
    };

    private static Entry New(Guid accountId, Guid id, EntryKind kind, DateTimeOffset date, decimal amount, string description, string? category) =>
        new()
        {
            Id = id, AccountId = accountId, Kind = kind, Date = date, OriginalAmount = amount, Remaining = amount,
            Description = description, Category = category,
        };
}
