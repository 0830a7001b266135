using JasperFx.Events;
using Ledger.Domain.Corporate;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Corporate;

/// <summary>
/// Inline, one row per paying node: what its payments allocated to each member charge. A payment is decided on it with the
/// bill stream's row locked, so two payments at once never both pay the same open amount.
/// </summary>
public sealed class PayerLedgerProjection : SingleStreamProjection<PayerLedger, Guid>
{
    public PayerLedgerProjection()
    {
        IncludeType<ConsolidatedBillIssued>();
        IncludeType<CorporatePaymentReceived>();
    }

    public override PayerLedger? Evolve(PayerLedger? snapshot, Guid id, IEvent e) => PayerLedger.Evolve(snapshot, id, e.Data, e.Version);
}
