using JasperFx.Events;
using Ledger.Domain.Policies;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Policies;

/// <summary>The policy in force, one row; inline because every credit decision reads it.</summary>
public sealed class PolicyProjection : SingleStreamProjection<PolicyState, Guid>
{
    // Without a filter Marten cannot tell which events an Evolve override reads, so it would look up a policy
    // row for every stream in every commit (seen in the SQL log of one charge).
    public PolicyProjection() => IncludeType<PolicyChanged>();

    public override PolicyState? Evolve(PolicyState? snapshot, Guid id, IEvent e) => PolicyState.Evolve(snapshot, e.Data);
}
