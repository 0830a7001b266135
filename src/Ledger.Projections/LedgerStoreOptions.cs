using JasperFx.Events.Projections;
using Ledger.Domain.Accounts;
using Ledger.Projections.Accounts;
using Marten;

namespace Ledger.Projections;

public static class LedgerStoreOptions
{
    /// <summary>Registers every read model with its lifecycle, and the indexes their queries use.</summary>
    public static StoreOptions AddLedgerProjections(this StoreOptions options)
    {
        // Inline snapshot: writes load it instead of replaying the stream, and reads are one row
        // whatever the account's history length.
        options.Projections.Add<AccountProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Account>()
            .Index(a => a.CustomerId)
            .Index(a => a.AccountNumber, i => i.IsUnique = true);

        options.Projections.Add<EntryProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<Entry>().Index(e => e.AccountId);

        return options;
    }
}
