using JasperFx;
using JasperFx.Events;
using Weasel.Core;
using Ledger.Projections;
using Marten;
using Npgsql;
using Wolverine.Marten;

namespace Ledger.Api.Infrastructure;

public static class MartenSetup
{
    public const string Schema = "ledger";

    /// <summary>
    /// <c>Ledger:Events:ArchivePartitioning</c>: Marten's archived-stream partitioning of <c>mt_events</c> and
    /// <c>mt_streams</c> (docs/capacity.md). Turning it on for an existing database rewrites both tables: run `migrate` in a
    /// maintenance window.
    /// </summary>
    public const string ArchivePartitioningKey = "Ledger:Events:ArchivePartitioning";

    /// <summary>
    /// The event store and its projections. <paramref name="asyncProjections"/> is false for one-off commands: the
    /// serving nodes' daemons project what they write; a one-off never takes a projection's lock.
    /// <paramref name="manageSchema"/> is false when the service runs as a role that may not change the schema (see
    /// <see cref="DatabaseRoles"/>): it then neither checks nor applies schema changes, and `migrate` does that as the owner.
    /// </summary>
    public static IServiceCollection AddLedgerStore(this IServiceCollection services, string connectionString, bool asyncProjections = true,
        bool manageSchema = true, ProjectionDistribution distribution = ProjectionDistribution.HotCold, Databases.DatabaseMap? databases = null,
        bool archivePartitioning = false)
    {
        databases ??= Databases.DatabaseMap.Single(connectionString);
        services.AddSingleton(databases);
        var wolverineManaged = asyncProjections && distribution == ProjectionDistribution.Wolverine;
        var marten = services.AddMarten(options =>
            {
                options.DatabaseSchemaName = Schema;
                options.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                // Rich mode: inline projections see real versions and sequences, and it measured faster
                // than Quick at 4+ clients on our 2-core machines.
                options.Events.AppendMode = EventAppendMode.Rich;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.UserNameEnabled = true;
                // Hot and cold storage: the events and stream rows of archived accounts (archive-closed) in partitions of
                // their own, so the tables every write and the daemons touch hold the accounts still alive. A stream id is
                // then unique across both partitions only with the identity table Marten keeps beside them.
                if (archivePartitioning)
                {
                    options.Events.UseArchivedStreamPartitioning = true;
                    options.Events.EnableStrictStreamIdentityEnforcement = true;
                    options.Advanced.ExceptionTransforms.AddTransform(new PartitionedStreamCollision());
                }
                options.AutoCreateSchemaObjects = manageSchema ? AutoCreate.CreateOrUpdate : AutoCreate.None;
                options.AddLedgerProjections();
                options.Schema.For<Idempotency.IdempotencyRecord>();
                options.Schema.For<Accounts.TimeTravel.AccountCheckpoint>().Index(c => c.AccountId);
                options.Schema.For<Databases.BucketMove>();
                options.Schema.For<Corporate.CorporateMembership>().Index(m => m.TreeId);
                options.Storage.ExtendedSchemaObjects.Add(Statements.StatementDocuments.Table());
                options.Storage.ExtendedSchemaObjects.Add(ServiceRequests.RequestDocuments.Table());
                options.Storage.ExtendedSchemaObjects.Add(ServiceRequests.RequestNumbers.Sequence());
            })
            // Lightweight sessions, on the database of the account the request is about (Databases/BucketSessions).
            .BuildSessionsWith<Databases.BucketSessionFactory>();
        services.AddHttpContextAccessor();
        // HotCold (the default): every node runs a daemon, and each projection and subscription (the audit log, webhooks,
        // the event feed) runs on exactly one of them, the one holding its PostgreSQL advisory lock; when that node dies
        // its connection goes, the lock with it, and another node takes over. Wolverine: the elected leader assigns them
        // to the nodes in Wolverine's node table instead. docs/operations.md has both measured and why HotCold is the default.
        if (!wolverineManaged)
            marten.AddAsyncDaemon(asyncProjections ? JasperFx.Events.Daemon.DaemonMode.HotCold : JasperFx.Events.Daemon.DaemonMode.Disabled);
        // A serving node's sessions carry its Wolverine node id as their application name, so pg_stat_activity (and the
        // admins' cluster view) tell which node holds which connection and lock; a one-off command's say which it is.
        services.ConfigureMarten((provider, options) =>
        {
            var applicationName = asyncProjections && provider.GetService<Wolverine.WolverineOptions>() is { } wolverine
                ? NodeApplicationName(wolverine.UniqueNodeId)
                : "ledger one-off";
            if (!databases.IsSharded)
            {
                options.Connection(Tuned(connectionString, applicationName));
                return;
            }
            // Several databases: Marten's database-per-tenant store, each bucket a tenant of the database that holds it.
            // Sessions on the default tenant (the shared documents) go to the main database.
            options.MultiTenantedDatabases(tenancy =>
            {
                foreach (var database in databases.Databases)
                {
                    var expression = tenancy.AddMultipleTenantDatabase(Tuned(database.ConnectionString, applicationName), database.Name)
                        .ForTenants(database.Buckets.Select(Ledger.Domain.Buckets.TenantId).ToArray());
                    if (database.IsMain)
                        expression.AsDefault();
                }
            });
            // (After MultiTenantedDatabases, which turns it off.)
            options.Advanced.DefaultTenantUsageEnabled = true;
        });
        if (manageSchema)
            marten.ApplyAllDatabaseChangesOnStartup();
        marten.IntegrateWithWolverine(w =>
        {
            w.UseWolverineManagedEventSubscriptionDistribution = wolverineManaged;
            // Several databases: Wolverine keeps an inbox and outbox in each (an account's follow-ups commit with its
            // events) and its node records, leadership and untenanted messages in the main one.
            if (databases.IsSharded)
                w.MainDatabaseConnectionString = Tuned(connectionString, "ledger wolverine");
        });
        return services;
    }

    /// <summary>Who decides which node runs each async projection and subscription (<c>Ledger:Projections:Distribution</c>).</summary>
    public enum ProjectionDistribution
    {
        /// <summary>Marten's daemon: each shard on the node that takes its PostgreSQL advisory lock first.</summary>
        HotCold,

        /// <summary>Wolverine's leader spreads the shards over the live nodes of its node table.</summary>
        Wolverine,
    }

    /// <summary>The application name of a serving node's database sessions.</summary>
    public static string NodeApplicationName(Guid wolverineNodeId) => $"ledger node {wolverineNodeId}";

    /// <summary>The size of the pool the store's sessions come from.</summary>
    public static int MaxPoolSizeOf(IDocumentStore store) =>
        new NpgsqlConnectionStringBuilder(((Weasel.Postgresql.PostgresqlDatabase)store.Storage.Database).DataSource.ConnectionString).MaxPoolSize;

    /// <summary>
    /// The connections one process may open (Npgsql's default is 100). Several nodes share the server's
    /// <c>max_connections</c>: N nodes × this + one-off commands × this + the superuser's reserve must fit (the
    /// arithmetic is in docs/operations.md). Group commit makes a few connections carry many writers.
    /// </summary>
    public const int DefaultMaxPoolSize = 20;

    /// <summary>
    /// Every command prepares the same dozen statements; letting Npgsql keep them prepared per connection saves
    /// PostgreSQL a parse and plan of each (the SQL log of one charge showed a parse and a bind for every statement).
    /// The pool is <see cref="DefaultMaxPoolSize"/>. A value set in the connection string wins.
    /// </summary>
    public static string Tuned(string connectionString, string applicationName)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Application Name", StringComparison.OrdinalIgnoreCase))
            builder.ApplicationName = applicationName;
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Pool Size", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
            builder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.ConnectionString;
    }
}
