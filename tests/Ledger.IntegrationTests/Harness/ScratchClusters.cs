using System.Globalization;
using Npgsql;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// PostgreSQL clusters of a test's own, made and dropped with Debian's cluster tools (pg_createcluster, pg_ctlcluster),
/// for what needs a server rather than a database: WAL archiving and restores, standbys. The tools need root, or the
/// postgres user for what runs inside a cluster's files; tests run as root under `./ledger test`, or through sudo.
/// </summary>
public sealed class ScratchClusters : IAsyncDisposable
{
    public const string Version = "15";
    public static readonly string Bin = $"/usr/lib/postgresql/{Version}/bin";
    private readonly List<string> _created = [];

    /// <summary>Creates (does not start) a cluster on a free port, with <paramref name="settings"/> in its configuration.</summary>
    public async Task<int> CreateAsync(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = Ports.Free();
        await AsRoot("pg_createcluster", [Version, name, "-p", Text(port),
            .. (settings ?? new Dictionary<string, string>()).SelectMany(s => new[] { "-o", $"{s.Key}={s.Value}" })]);
        _created.Add(name);
        return port;
    }

    public static string DataDirectory(string name) => $"/var/lib/postgresql/{Version}/{name}";

    public static Task Start(string name) => AsRoot("pg_ctlcluster", Version, name, "start");

    public static Task Stop(string name, string mode = "fast") => AsRoot("pg_ctlcluster", Version, name, "stop", "-m", mode);

    /// <summary>Runs SQL as the postgres superuser (psql over the local socket), stopping at the first error.</summary>
    public static Task<string> Psql(int port, string sql) => AsPostgres($"{Bin}/psql", "-p", Text(port), "-v", "ON_ERROR_STOP=1", "-tAc", sql);

    /// <summary>The role and database the ledger uses, as <c>./ledger</c> creates them.</summary>
    public static async Task CreateLedgerDatabase(int port)
    {
        await Psql(port, "create role ledger login createdb password 'ledger'");
        await Psql(port, "create database ledger owner ledger");
    }

    public static string ConnectionString(int port, string database = "ledger") =>
        $"Host=localhost;Port={Text(port)};Database={database};Username=ledger;Password=ledger";

    public static async Task<T> Scalar<T>(int port, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(port) + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static Task<string> AsRoot(string program, params string[] arguments) =>
        Environment.UserName == "root" ? Run(program, arguments) : Run("sudo", ["-n", program, .. arguments]);

    public static Task<string> AsPostgres(string program, params string[] arguments) =>
        Environment.UserName == "postgres" ? Run(program, arguments)
        : Environment.UserName == "root" ? Run("runuser", ["-u", "postgres", "--", program, .. arguments])
        : Run("sudo", ["-n", "-u", "postgres", program, .. arguments]);

    private static async Task<string> Run(string program, params string[] arguments)
    {
        var (code, text) = await Tools.RunAsync(program, arguments, "/", timeout: TimeSpan.FromMinutes(2));
        if (code != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} exited with {code}:\n{text}");
        return text;
    }

    /// <summary>Drops every cluster made here, newest first (a standby before its primary).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var name in Enumerable.Reverse(_created))
            await AsRoot("pg_dropcluster", "--stop", Version, name);
    }
}
