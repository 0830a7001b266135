using JasperFx.Events;
using Ledger.Domain.Accounts;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Accounts;

/// <summary>
/// The account snapshot, folded by the domain's own <see cref="Account.Evolve"/> so the write side and the
/// stored snapshot can never disagree about what an event means.
/// </summary>
public sealed class AccountProjection : SingleStreamProjection<Account, Guid>
{
    public override Account? Evolve(Account? snapshot, Guid id, IEvent e)
    {
        var next = Account.Evolve(snapshot, e.Data);
        return next is not null && EventHeaders.Text(e, EventHeaders.Chain) is { } chain ? next with { ChainHash = chain } : next;
    }
}
