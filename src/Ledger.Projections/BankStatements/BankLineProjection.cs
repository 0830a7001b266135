using JasperFx.Events;
using Ledger.Domain.BankStatements;
using Marten.Events.Aggregation;

namespace Ledger.Projections.BankStatements;

/// <summary>Inline: the import decides on a line as just written, and the desk's queue is the lines whose status is queued.</summary>
public sealed class BankLineProjection : SingleStreamProjection<BankLine, Guid>
{
    public BankLineProjection()
    {
        IncludeType<BankLineRecorded>();
        IncludeType<BankLineMatched>();
        IncludeType<BankLineQueued>();
        IncludeType<BankLineAssigned>();
        IncludeType<BankLineReturnedToSender>();
    }

    public override BankLine? Evolve(BankLine? snapshot, Guid id, IEvent e) => BankLine.Evolve(snapshot, e.Data);
}
