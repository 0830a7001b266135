using JasperFx.Events.Projections;
using Ledger.Domain.Accounts;
using Ledger.Domain.Approvals;
using Ledger.Domain.BankStatements;
using Ledger.Domain.Policies;
using Ledger.Domain.ServiceRequests;
using Ledger.Projections.Accounts;
using Ledger.Projections.Approvals;
using Ledger.Projections.Auditing;
using Ledger.Projections.BankStatements;
using Ledger.Projections.Collections;
using Ledger.Projections.Corporate;
using Ledger.Projections.Payments;
using Ledger.Projections.Policies;
using Ledger.Projections.ServiceRequests;
using Ledger.Projections.Statements;
using Ledger.Projections.Webhooks;
using Marten;

namespace Ledger.Projections;

public static class LedgerStoreOptions
{
    /// <summary>Registers every read model with its lifecycle, and the indexes their queries use.</summary>
    public static StoreOptions AddLedgerProjections(this StoreOptions options)
    {
        // Inline snapshot: writes load it instead of replaying the stream, and reads are one row
        // whatever the account's history length.
        Add<AccountProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<Account>()
            .Index(a => a.CustomerId)
            .Index(a => a.BrokerId!)
            .Index(a => a.AccountNumber, i => i.IsUnique = true);

        Add<EntryProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<Entry>().Index(e => e.AccountId);

        Add<PolicyProjection>(options, ProjectionLifecycle.Inline);
        Add<DunningPolicyProjection>(options, ProjectionLifecycle.Inline);
        Add<DailyAllowanceProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<DailyAllowance>().Index(a => a.UserId);

        Add<ApprovalQueueProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<ApprovalView>().Index(a => a.Status).Index(a => a.RequestedBy).Index(a => a.AccountId);

        Add<StatementListProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<StatementView>().Index(s => s.AccountId);

        Add<PaymentProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<PaymentView>().Index(p => p.AccountId).Index(p => p.ReferenceToQuote);

        Add<RefundProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<RefundView>().Index(r => r.AccountId).Index(r => r.Reference).Index(r => r.CardPaymentId);

        Add<BankLineProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<BankLine>().Index(l => l.Status).Index(l => l.UpdatedAt);

        Add<WebhookSubscriptionProjection>(options, ProjectionLifecycle.Inline);

        Add<ServiceRequestProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<ServiceRequest>().Index(r => r.Status).Index(r => r.Team).Index(r => r.Assignee!).Index(r => r.CustomerId)
            .Index(r => r.AccountId).Index(r => r.Number!, i => i.IsUnique = true).Index(r => r.DueAt!);
        Add<RequestTypeProjection>(options, ProjectionLifecycle.Inline);
        Add<ServiceRequestPolicyProjection>(options, ProjectionLifecycle.Inline);

        Add<CorporateTreeProjection>(options, ProjectionLifecycle.Inline);
        Add<FlaggedChargeProjection>(options, ProjectionLifecycle.Inline);
        Add<PayerLedgerProjection>(options, ProjectionLifecycle.Inline);
        Add<CorporateLimitsProjection>(options, ProjectionLifecycle.Inline);
        options.Schema.For<FlaggedCharge>().Index(f => f.TreeId).Index(f => f.PostedAt);

        Add<AuditLogProjection>(options, ProjectionLifecycle.Async);
        options.Schema.For<AuditEntry>().Index(a => a.Actor).Index(a => a.StreamId).Index(a => a.Timestamp).Index(a => a.Sequence);

        return options;
    }

    /// <summary>
    /// Events read per page when the daemon catches up or a rebuild replays history. Marten's default (500) made a
    /// rebuild a long series of small round trips; bigger pages keep PostgreSQL streaming.
    /// </summary>
    public const int PageSize = 5_000;

    private static void Paged(AsyncOptions options) => options.BatchSize = PageSize;

    /// <summary>
    /// Every projection reads archived accounts' events too (Marten's daemon skips them by default): a rebuild must
    /// bring back a closed account's views and audit trail as they were before it was archived.
    /// </summary>
    private static void Add<T>(StoreOptions options, ProjectionLifecycle lifecycle)
        where T : IProjectionSource<IDocumentOperations, IQuerySession>, IEventFilterable, new() =>
        options.Projections.Add(new T { IncludeArchivedEvents = true }, lifecycle, Paged);
}
