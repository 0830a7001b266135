using Ledger.Api.Infrastructure;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Statements;

/// <summary>
/// The bytes of issued bills, kept as <c>bytea</c> under their SHA-256 (content-addressed) by the transaction that issues
/// the bill. A PDF is binary: as a Marten JSON document it was base64 inside jsonb, a third larger and parsed by
/// PostgreSQL on every write. A bill whose bytes are missing here (deleted, or issued before this table existed) is
/// re-rendered from its record and checked against the recorded hash by whoever serves it.
/// </summary>
public static class StatementDocuments
{
    private const string Name = "statement_documents";

    public static Table Table()
    {
        var table = new Table(new PostgresqlObjectName(MartenSetup.Schema, Name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("sha256").AsPrimaryKey();
        table.AddColumn("bytes", "bytea").NotNull();
        return table;
    }

    /// <summary>Stores the bytes with the session's unit of work; the same bytes already stored are left as they are.</summary>
    public static void Keep(IDocumentSession session, string sha256, byte[] bytes) =>
        session.QueueSqlCommand($"insert into {MartenSetup.Schema}.{Name} (sha256, bytes) values (?, ?) on conflict (sha256) do nothing", sha256, bytes);

    public static async Task<byte[]?> LoadAsync(IQuerySession query, string sha256, CancellationToken ct) =>
        (await query.AdvancedSql.QueryAsync<byte[]>($"select bytes from {MartenSetup.Schema}.{Name} where sha256 = ?", ct, sha256)).SingleOrDefault();
}
