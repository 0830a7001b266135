using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// Documents kept as <c>bytea</c> under their SHA-256 (issued bills, a request's uploads and proofs): events name the hash,
/// the same bytes are kept once, and whoever serves them checks them against the hash an event recorded. Binary as a
/// Marten JSON document would be base64 inside jsonb, a third larger and parsed by PostgreSQL on every write.
/// </summary>
public sealed class ContentAddressedTable(string name)
{
    public Table Table()
    {
        var table = new Table(new PostgresqlObjectName(MartenSetup.Schema, name, SchemaUtils.IdentifierUsage.General));
        table.AddColumn<string>("sha256").AsPrimaryKey();
        table.AddColumn("bytes", "bytea").NotNull();
        return table;
    }

    /// <summary>Stores the bytes with the session's unit of work; the same bytes already stored are left as they are.</summary>
    public void Keep(IDocumentSession session, string sha256, byte[] bytes) =>
        session.QueueSqlCommand($"insert into {MartenSetup.Schema}.{name} (sha256, bytes) values (?, ?) on conflict (sha256) do nothing", sha256, bytes);

    public async Task<byte[]?> LoadAsync(IQuerySession query, string sha256, CancellationToken ct) =>
        (await query.AdvancedSql.QueryAsync<byte[]>($"select bytes from {MartenSetup.Schema}.{name} where sha256 = ?", ct, sha256)).SingleOrDefault();
}
