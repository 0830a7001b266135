using Ledger.Api.Infrastructure;
using Marten;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.Statements;

/// <summary>
/// The bytes of issued bills, kept under their SHA-256 by the transaction that issues the bill. A bill whose bytes are
/// missing here (deleted, or issued before this table existed) is re-rendered from its record and checked against the
/// recorded hash by whoever serves it.
/// </summary>
public static class StatementDocuments
{
    private static readonly ContentAddressedTable Bytes = new("statement_documents");

    public static Table Table() => Bytes.Table();

    /// <summary>Stores the bytes with the session's unit of work; the same bytes already stored are left as they are.</summary>
    public static void Keep(IDocumentSession session, string sha256, byte[] bytes) => Bytes.Keep(session, sha256, bytes);

    public static Task<byte[]?> LoadAsync(IQuerySession query, string sha256, CancellationToken ct) => Bytes.LoadAsync(query, sha256, ct);
}
