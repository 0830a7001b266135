using JasperFx.Events;
using Ledger.Domain.Accounts;
using Marten.Events.Projections;

namespace Ledger.Projections.Accounts;

/// <summary>
/// One document per entry, with its corrections and dispute folded in. Inline: the correction and
/// dispute decisions read it, so it must commit in the same transaction as the events it reflects
/// (the account stream's version check then also guards it against racing writers).
/// </summary>
public sealed class EntryProjection : MultiStreamProjection<Entry, Guid>
{
    public EntryProjection()
    {
        Identity<IEntryEvent>(e => e.EntryId);
    }

    public override Entry? Evolve(Entry? snapshot, Guid id, IEvent e) => Entry.Evolve(snapshot, e.Data);
}
