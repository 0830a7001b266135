using JasperFx.Events;
using Ledger.Domain.Corporate;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Corporate;

/// <summary>Each corporate customer's tree as it stands, one row: the write side locks and decides on it, corporate admins read it.</summary>
public sealed class CorporateTreeProjection : SingleStreamProjection<CorporateTree, Guid>
{
    public CorporateTreeProjection()
    {
        foreach (var type in CorporateEventTypes.All)
            IncludeType(type);
    }

    public override CorporateTree? Evolve(CorporateTree? snapshot, Guid id, IEvent e) => CorporateTree.Evolve(snapshot, e.Data, e.Version);
}
