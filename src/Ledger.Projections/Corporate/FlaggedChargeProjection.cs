using JasperFx.Events;
using Ledger.Domain.Corporate;
using Marten.Events.Projections;

namespace Ledger.Projections.Corporate;

/// <summary>A member's charge outside its template's categories, as the corporate admin lists it (one row per charge).</summary>
public sealed record FlaggedCharge(Guid Id, Guid TreeId, Guid AccountId, Guid NodeId, string Category, string Description, decimal Amount, string Currency,
    string TemplateCode, DateTimeOffset PostedAt, DateTimeOffset FlaggedAt);

/// <summary>Inline, beside the flag's event: the next check of the same charge, under the tree's lock, finds the row and flags nothing.</summary>
public sealed class FlaggedChargeProjection : MultiStreamProjection<FlaggedCharge, Guid>
{
    public FlaggedChargeProjection() => Identity<CorporateChargeFlagged>(e => e.EntryId);

    public override FlaggedCharge? Evolve(FlaggedCharge? view, Guid id, IEvent e) => e.Data is CorporateChargeFlagged f
        ? new FlaggedCharge(f.EntryId, f.TreeId, f.AccountId, f.NodeId, f.Category, f.Description, f.Amount, f.Currency, f.TemplateCode, f.PostedAt, f.FlaggedAt)
        : view;
}
