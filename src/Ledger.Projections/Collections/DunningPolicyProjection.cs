using JasperFx.Events;
using Ledger.Domain.Collections;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Collections;

/// <summary>The dunning policy in force, one row; inline because every collections review reads it.</summary>
public sealed class DunningPolicyProjection : SingleStreamProjection<DunningPolicyState, Guid>
{
    public DunningPolicyProjection() => IncludeType<DunningPolicyChanged>();

    public override DunningPolicyState? Evolve(DunningPolicyState? snapshot, Guid id, IEvent e) => DunningPolicyState.Evolve(snapshot, e.Data);
}
