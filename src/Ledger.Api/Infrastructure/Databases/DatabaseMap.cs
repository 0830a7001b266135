using Ledger.Domain;
using Npgsql;

namespace Ledger.Api.Infrastructure.Databases;

/// <summary>One database of the ledger and the buckets it holds.</summary>
public sealed record LedgerDatabase(string Name, string ConnectionString, IReadOnlyList<int> Buckets, bool IsMain);

/// <summary>
/// Which database holds which bucket (<see cref="Ledger.Domain.Buckets"/>). Without <c>Ledger:Databases</c> there is one
/// database, <c>ConnectionStrings:Ledger</c>, holding every bucket, and the store is the single-database one it always was.
/// With it, each entry names a database (<c>Name</c>), its <c>ConnectionString</c> (left out for the main one, which is
/// <c>ConnectionStrings:Ledger</c>) and its <c>Buckets</c> ("0-7"); every bucket is held by exactly one entry, and the main
/// database — Wolverine's node records, the shared documents (policies, subscriptions...) — is one of them.
/// </summary>
public sealed class DatabaseMap
{
    public const string Section = "Ledger:Databases";

    private readonly LedgerDatabase[] byBucket;

    private DatabaseMap(IReadOnlyList<LedgerDatabase> databases)
    {
        Databases = databases;
        byBucket = new LedgerDatabase[Buckets.Count];
        foreach (var database in databases)
            foreach (var bucket in database.Buckets)
                byBucket[bucket] = database;
        Main = databases.Single(d => d.IsMain);
    }

    public IReadOnlyList<LedgerDatabase> Databases { get; }

    public LedgerDatabase Main { get; }

    /// <summary>More than one database: the store is multi-tenanted by database, each bucket a tenant.</summary>
    public bool IsSharded => Databases.Count > 1;

    public LedgerDatabase DatabaseOf(int bucket) => byBucket[bucket];

    public static DatabaseMap Single(string connectionString) =>
        new([new LedgerDatabase(new NpgsqlConnectionStringBuilder(connectionString).Database ?? "ledger", connectionString,
            Enumerable.Range(0, Buckets.Count).ToArray(), IsMain: true)]);

    /// <summary>The map the configuration describes, or the reason it is not a valid one (said at start-up, exit 2).</summary>
    public static (DatabaseMap? Map, string? Error) From(IConfiguration configuration, string mainConnectionString)
    {
        var entries = configuration.GetSection(Section).GetChildren().ToList();
        if (entries.Count == 0)
            return (Single(mainConnectionString), null);
        var databases = new List<LedgerDatabase>();
        var holder = new string?[Buckets.Count];
        foreach (var entry in entries)
        {
            var name = entry["Name"];
            if (string.IsNullOrWhiteSpace(name))
                return (null, $"{Section}:{entry.Key}:Name is missing.");
            if (databases.Any(d => d.Name == name))
                return (null, $"{Section}: the name '{name}' is given twice.");
            if (entry["Buckets"] is not { } text || Buckets.ParseRanges(text) is not { } buckets)
                return (null, $"{Section}:{entry.Key}:Buckets is a list of bucket numbers 0-{Buckets.Count - 1} such as \"0-7\" or \"0-3,12-15\".");
            foreach (var bucket in buckets)
            {
                if (holder[bucket] is { } other)
                    return (null, $"{Section}: bucket {bucket} is given to both '{other}' and '{name}'.");
                holder[bucket] = name;
            }
            var connection = entry["ConnectionString"];
            databases.Add(new LedgerDatabase(name, string.IsNullOrWhiteSpace(connection) ? mainConnectionString : connection, buckets,
                IsMain: string.IsNullOrWhiteSpace(connection)));
        }
        if (Array.IndexOf(holder, null) is var missing and >= 0)
            return (null, $"{Section}: bucket {missing} is held by no database; every bucket 0-{Buckets.Count - 1} must be held by one.");
        if (databases.Count(d => d.IsMain) != 1)
            return (null, $"{Section}: exactly one entry must leave out ConnectionString, the main database (ConnectionStrings:Ledger).");
        return (new DatabaseMap(databases), null);
    }
}
