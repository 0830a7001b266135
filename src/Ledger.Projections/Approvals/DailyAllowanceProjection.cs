using JasperFx.Events;
using Ledger.Domain.Approvals;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Approvals;

/// <summary>A user's credits of one day; inline so the next credit's limit check reads it in the same transaction.</summary>
public sealed class DailyAllowanceProjection : SingleStreamProjection<DailyAllowance, Guid>
{
    public DailyAllowanceProjection()
    {
        IncludeType<CreditAllowanceUsed>();
        IncludeType<CreditAllowanceReturned>();
    }

    public override DailyAllowance? Evolve(DailyAllowance? snapshot, Guid id, IEvent e) => DailyAllowance.Evolve(snapshot, e.Data);
}
