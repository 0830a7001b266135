using JasperFx.Events;
using Ledger.Domain.Corporate;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Corporate;

/// <summary>A corporate customer's own desk limits in force, one row each; inline, as credits to its members read it.</summary>
public sealed class CorporateLimitsProjection : SingleStreamProjection<CorporateLimitsState, Guid>
{
    public CorporateLimitsProjection() => IncludeType<CorporateLimitsChanged>();

    public override CorporateLimitsState? Evolve(CorporateLimitsState? snapshot, Guid id, IEvent e) => CorporateLimitsState.Evolve(snapshot, id, e.Data);
}
