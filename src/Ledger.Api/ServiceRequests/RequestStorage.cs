using Ledger.Api.Infrastructure;
using Marten;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Ledger.Api.ServiceRequests;

/// <summary>
/// The bytes of documents attached to requests (uploads and the signed proofs of completion), in the main database, under
/// their SHA-256 like issued bills: the events name the hash; the same file uploaded twice is kept once.
/// </summary>
public static class RequestDocuments
{
    private static readonly ContentAddressedTable Bytes = new("service_request_documents");

    public static Table Table() => Bytes.Table();

    public static void Keep(IDocumentSession session, string sha256, byte[] bytes) => Bytes.Keep(session, sha256, bytes);

    public static Task<byte[]?> LoadAsync(IQuerySession query, string sha256, CancellationToken ct) => Bytes.LoadAsync(query, sha256, ct);
}

/// <summary>Request numbers people can read out on the phone: SR-2026-000042, from a PostgreSQL sequence (unique; gaps allowed).</summary>
public static class RequestNumbers
{
    private const string Name = "service_request_numbers";

    public static Sequence Sequence() => new(new PostgresqlObjectName(MartenSetup.Schema, Name, SchemaUtils.IdentifierUsage.General));

    public static async Task<string> NextAsync(IQuerySession query, DateTimeOffset now, CancellationToken ct)
    {
        var next = (await query.AdvancedSql.QueryAsync<long>($"select nextval('{MartenSetup.Schema}.{Name}')", ct)).Single();
        return $"SR-{now.UtcDateTime.Year}-{next:D6}";
    }
}
