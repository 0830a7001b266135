using JasperFx.Events.Projections;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Ledger.Projections.Accounts;
using Ledger.Projections.Approvals;
using Ledger.Projections.Auditing;
using Ledger.Projections.Policies;
using Ledger.Projections.Statements;
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

        options.Projections.Add<PolicyProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<DailyAllowanceProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<DailyAllowance>().Index(a => a.UserId);

        options.Projections.Add<ApprovalQueueProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<ApprovalView>().Index(a => a.Status).Index(a => a.RequestedBy).Index(a => a.AccountId);

        options.Projections.Add<StatementListProjection>(ProjectionLifecycle.Inline);
        options.Schema.For<StatementView>().Index(s => s.AccountId);

        options.Projections.Add<AuditLogProjection>(ProjectionLifecycle.Async);
        options.Schema.For<AuditEntry>().Index(a => a.Actor).Index(a => a.StreamId).Index(a => a.Timestamp).Index(a => a.Sequence);

        return options;
    }
}
