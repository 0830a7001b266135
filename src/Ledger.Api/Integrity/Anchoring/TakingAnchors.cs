using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Npgsql;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>Reads every account stream's head — version and chain link — in one statement (one snapshot) per database, signs, appends.</summary>
public static class TakingAnchors
{
    public static async Task<(Anchor Anchor, string File)> TakeAsync(
        IDocumentStore store, AnchorSigning signing, AnchorStore files, string takenBy, TimeProvider clock, CancellationToken ct)
    {
        var heads = new List<AnchoredStream>();
        // With several databases, each one's heads in one snapshot of its own, one database after another.
        foreach (var session in await store.QueryEveryDatabaseAsync())
        await using (session)
        {
            // A head event that lost its chain header (or its row) is anchored with an empty link: the chain check reports it.
            await using var command = new NpgsqlCommand(
                $"""
                 select s.id, s.version, coalesce(e.headers ->> '{Projections.EventHeaders.Chain}', '')
                 from {MartenSetup.Schema}.mt_streams s
                 left join {MartenSetup.Schema}.mt_events e on e.stream_id = s.id and e.version = s.version
                 where s.type = @type
                 """, (NpgsqlConnection)session.Connection!);
            command.Parameters.AddWithValue("type", AccountStreamType);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                heads.Add(new AnchoredStream(reader.GetGuid(0), reader.GetInt64(1), reader.GetString(2)));
        }
        var anchor = Anchor.Sign(signing, Guid.CreateVersion7(), clock.GetUtcNow(), takenBy, heads);
        return (anchor, await files.AppendAsync(anchor, ct));
    }

    /// <summary>What Marten records as the aggregate type of a stream started with <c>StartStream&lt;Account&gt;</c>.</summary>
    public const string AccountStreamType = "account";
}
