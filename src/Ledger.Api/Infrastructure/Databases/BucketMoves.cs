using Ledger.Api.Integrity;
using Ledger.Api.Integrity.Anchoring;
using Ledger.Domain;
using Marten;
using Npgsql;

namespace Ledger.Api.Infrastructure.Databases;

/// <summary>The mark, in the database a bucket is leaving, that its accounts take no writes while it moves.</summary>
public sealed record BucketMove(string Id, int Bucket, string From, string To, DateTimeOffset StartedAt);

/// <summary>A write to an account whose bucket is being moved (503 bucket-moving): sent again after the move, it is applied.</summary>
public sealed class BucketMovingException(BucketMove move)
    : Exception($"Bucket {move.Bucket} is moving from database '{move.From}' to '{move.To}'; its accounts take writes again once it has.")
{
    public BucketMove Move { get; } = move;
}

/// <summary>
/// `move-bucket N --to DB` and `move-bucket N --finish --from DB` (docs/operations.md, "Moving a bucket"). The first,
/// run with the map in force, marks the bucket moving in its database (its accounts then refuse writes on every node),
/// copies its account streams, their side streams and their documents to the target, and verifies the copy: every chain
/// recomputed in the target, every head equal to the source's, and to the latest signed anchor's. The operator then gives
/// the bucket to the target in <c>Ledger:Databases</c> and restarts the nodes. The second, run with the new map, checks
/// that the target still passes through every head the source held and removes the bucket from the source.
/// </summary>
public static class BucketMoves
{
    /// <summary>Documents that belong to an account, and the expression that names the account (or stream) of a row.</summary>
    public static readonly IReadOnlyDictionary<string, string> AccountDocuments = new Dictionary<string, string>
    {
        ["mt_doc_account"] = "id",
        ["mt_doc_accountcheckpoint"] = "(data->>'accountId')::uuid",
        ["mt_doc_approvalview"] = "(data->>'accountId')::uuid",
        ["mt_doc_entry"] = "(data->>'accountId')::uuid",
        ["mt_doc_paymentview"] = "(data->>'accountId')::uuid",
        ["mt_doc_refundview"] = "(data->>'accountId')::uuid",
        ["mt_doc_statementview"] = "(data->>'accountId')::uuid",
        ["mt_doc_letter"] = "(data->>'accountId')::uuid",
        ["mt_doc_noticedelivery"] = "(data->>'accountId')::uuid",
        ["mt_doc_idempotencyrecord"] = "(data->'outcome'->>'accountId')::uuid",
    };

    /// <summary>Documents that belong to a stream (an account's or one beside it).</summary>
    public static readonly IReadOnlyDictionary<string, string> StreamDocuments = new Dictionary<string, string>
    {
        ["mt_doc_auditentry"] = "(data->>'streamId')::uuid",
    };

    /// <summary>
    /// Documents that are not an account's: kept in the main database (policies, allowances, subscriptions, bank lines,
    /// webhook delivery state), or a database's own (its daemon's dead letters, the move marks). Never moved.
    /// </summary>
    public static readonly IReadOnlySet<string> SharedDocuments = new HashSet<string>
    {
        "mt_doc_bankline", "mt_doc_dailyallowance", "mt_doc_policystate", "mt_doc_dunningpolicystate", "mt_doc_processoreventforreview", "mt_doc_webhookdeliveryattempt",
        "mt_doc_webhookhealth", "mt_doc_webhooklane", "mt_doc_webhooksecret", "mt_doc_webhooksubscription", "mt_doc_deadletterevent",
        "mt_doc_envelope", "mt_doc_bucketmove", "mt_doc_servicerequest", "mt_doc_requesttypestate", "mt_doc_servicerequestpolicystate", "mt_doc_corporatetree",
        "mt_doc_corporatemembership", "mt_doc_flaggedcharge", "mt_doc_payerledger", "mt_doc_corporatelimitsstate", "mt_doc_corporatealertmailed",
        "mt_doc_statementrunrecord",
    };

    private const string Schema = MartenSetup.Schema;

    /// <summary>The header a copied event carries in its new database: the name of the one it was recorded in.</summary>
    public const string MovedFromHeader = "movedFrom";

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        var map = app.Services.GetRequiredService<DatabaseMap>();
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        if (args.Length < 2 || !int.TryParse(args[1], out var bucket) || bucket is < 0 or >= Buckets.Count)
            return Fail($"usage: move-bucket N --to DATABASE | move-bucket N --finish --from DATABASE   (N is 0-{Buckets.Count - 1})");
        if (!map.IsSharded)
            return Fail("there is one database: a bucket moves between the databases of Ledger:Databases.");
        var finishing = args.Contains("--finish");
        var otherName = finishing ? Option("--from") : Option("--to");
        if (map.Databases.FirstOrDefault(d => d.Name == otherName) is not { } other)
            return Fail($"{(finishing ? "--from" : "--to")} names a database of Ledger:Databases ({string.Join(", ", map.Databases.Select(d => d.Name))}).");
        var holder = map.DatabaseOf(bucket);
        if (holder == other)
            return Fail(finishing
                ? $"Ledger:Databases still gives bucket {bucket} to '{other.Name}': give it to the database it moved to, restart the nodes, then finish."
                : $"bucket {bucket} is already in '{other.Name}'.");
        await app.StartAsync();
        try
        {
            return finishing
                ? await FinishAsync(app, bucket, from: other, to: holder)
                : await CopyAsync(app, bucket, from: holder, to: other);
        }
        finally
        {
            await app.StopAsync();
        }
    }

    /// <summary>
    /// For what is written beside the write path (notices, reprints): refuses, as the write path does, while the session's
    /// bucket is being moved, so nothing lands in the database the bucket is leaving after it was copied.
    /// </summary>
    public static async Task ThrowIfMovingAsync(IQuerySession session, CancellationToken ct)
    {
        if (session.DocumentStore.IsSharded() && session.TenantId != JasperFx.StorageConstants.DefaultTenantId &&
            await session.LoadAsync<BucketMove>(session.TenantId, ct) is { } move)
            throw new BucketMovingException(move);
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"move-bucket: {message}");
        return 1;
    }

    private static async Task<int> CopyAsync(WebApplication app, int bucket, LedgerDatabase from, LedgerDatabase to)
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        var tenant = Buckets.TenantId(bucket);
        await using (var session = store.LightweightSession(tenant))
        {
            session.Store(new BucketMove(tenant, bucket, from.Name, to.Name, clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }
        // Writes that read "not moving" just before the mark commit within moments; the copy starts after them, and the
        // check below (the heads the source holds once the copy is done) catches any that did not.
        var settle = app.Configuration.GetValue("Ledger:Moves:Settle", TimeSpan.FromSeconds(5));
        Console.WriteLine($"Bucket {bucket} is marked moving in '{from.Name}': its accounts refuse writes. Waiting {settle.TotalSeconds:0.#} s for writes in flight.");
        await Task.Delay(settle);

        await using var source = await OpenAsync(from);
        await using var target = await OpenAsync(to);
        var (accounts, streams) = await MovingSetAsync(source, bucket);
        await SendSetAsync(target, accounts, streams);
        var copied = await CopyRowsAsync(source, target, from.Name);
        Console.WriteLine($"Copied {accounts.Count} accounts ({streams.Count} streams) to '{to.Name}': " +
                          string.Join(", ", copied.Select(c => $"{c.Value} {c.Key}")));

        var problems = await VerifyAsync(app, store, source, target, to, streams, accounts, exact: true);
        foreach (var problem in problems)
            Console.WriteLine($"NOT COPIED {problem}");
        if (problems.Count > 0)
            return 1;
        Console.WriteLine($"Verified: every chain recomputed in '{to.Name}' is intact, its head the one '{from.Name}' holds and the latest anchor signed.");
        Console.WriteLine($"Next: give bucket {bucket} to '{to.Name}' in Ledger:Databases, restart every node, then run " +
                          $"`move-bucket {bucket} --finish --from {from.Name}` with that map.");
        return 0;
    }

    private static async Task<int> FinishAsync(WebApplication app, int bucket, LedgerDatabase from, LedgerDatabase to)
    {
        var store = app.Services.GetRequiredService<IDocumentStore>();
        await using var source = await OpenAsync(from);
        await using var target = await OpenAsync(to);
        var (accounts, streams) = await MovingSetAsync(source, bucket);
        await SendSetAsync(target, accounts, streams);
        // The target has taken writes since the switch: it must still pass through every head the source held.
        var problems = await VerifyAsync(app, store, source, target, to, streams, accounts, exact: false);
        foreach (var problem in problems)
            Console.WriteLine($"NOT MOVED {problem}");
        if (problems.Count > 0)
            return 1;
        await using var transaction = await source.BeginTransactionAsync();
        var removed = 0;
        foreach (var (table, key) in AccountDocuments)
            removed += await ExecuteAsync(source, $"delete from {Schema}.{table} where {key} in (select id from moving_accounts)", transaction);
        foreach (var (table, key) in StreamDocuments)
            removed += await ExecuteAsync(source, $"delete from {Schema}.{table} where {key} in (select id from moving_streams)", transaction);
        var events = await ExecuteAsync(source, $"delete from {Schema}.mt_events where stream_id in (select id from moving_streams)", transaction);
        await ExecuteAsync(source, $"delete from {Schema}.mt_streams where id in (select id from moving_streams)", transaction);
        if (await ExistsAsync(source, IdentityTable))
            await ExecuteAsync(source, $"delete from {Schema}.{IdentityTable} where id in (select id from moving_streams)", transaction);
        await ExecuteAsync(source, $"delete from {Schema}.mt_doc_bucketmove where id = '{Buckets.TenantId(bucket)}'", transaction);
        await transaction.CommitAsync();
        Console.WriteLine($"Bucket {bucket} is now only in '{to.Name}': removed {streams.Count} streams, {events} events and {removed} documents from '{from.Name}'.");
        return 0;
    }

    private static async Task<NpgsqlConnection> OpenAsync(LedgerDatabase database)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "ledger move-bucket" }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>The bucket's accounts in the source, and their streams with the ones beside them (notices, reprints), as temp tables there.</summary>
    private static async Task<(List<Guid> Accounts, List<Guid> Streams)> MovingSetAsync(NpgsqlConnection source, int bucket)
    {
        var accounts = new List<Guid>();
        await using (var command = new NpgsqlCommand(
                         $"select id from {Schema}.mt_streams where type = 'account' and (get_byte(uuid_send(id), 15) & {Buckets.Count - 1}) = {bucket} order by id",
                         source))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                accounts.Add(reader.GetGuid(0));
        var beside = accounts.SelectMany(a => new[] { Notifications.NotificationStream.IdFor(a), Statements.StatementReprints.StreamIdFor(a) }).ToArray();
        var streams = new List<Guid>(accounts);
        await using (var command = new NpgsqlCommand($"select id from {Schema}.mt_streams where id = any(@ids) order by id", source))
        {
            command.Parameters.AddWithValue("ids", beside);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                streams.Add(reader.GetGuid(0));
        }
        await SendSetAsync(source, accounts, streams);
        return (accounts, streams);
    }

    private static async Task SendSetAsync(NpgsqlConnection connection, List<Guid> accounts, List<Guid> streams)
    {
        await ExecuteAsync(connection, "drop table if exists moving_accounts; drop table if exists moving_streams; " +
                                       "create temp table moving_accounts (id uuid primary key); create temp table moving_streams (id uuid primary key)");
        foreach (var (table, ids) in new[] { ("moving_accounts", accounts), ("moving_streams", streams) })
        {
            await using var import = await connection.BeginBinaryImportAsync($"copy {table} (id) from stdin (format binary)");
            foreach (var id in ids)
                await import.WriteRowAsync(default, id);
            await import.CompleteAsync();
        }
    }

    /// <summary>
    /// Copies, in one transaction of the target, the set's streams, events (each with a new sequence number of the
    /// target's, in the source's order, and a <c>movedFrom</c> header the event feed skips) and documents, replacing any
    /// copy an earlier run left there. Binary COPY both ways: nothing is parsed or re-serialized on the way.
    /// </summary>
    private static async Task<Dictionary<string, long>> CopyRowsAsync(NpgsqlConnection source, NpgsqlConnection target, string sourceName)
    {
        var counts = new Dictionary<string, long>();
        await using var transaction = await target.BeginTransactionAsync();
        foreach (var (table, key) in AccountDocuments)
            await ExecuteAsync(target, $"delete from {Schema}.{table} where {key} in (select id from moving_accounts)", transaction);
        foreach (var (table, key) in StreamDocuments)
            await ExecuteAsync(target, $"delete from {Schema}.{table} where {key} in (select id from moving_streams)", transaction);
        await ExecuteAsync(target, $"delete from {Schema}.mt_events where stream_id in (select id from moving_streams)", transaction);
        await ExecuteAsync(target, $"delete from {Schema}.mt_streams where id in (select id from moving_streams)", transaction);

        counts["streams"] = await PipeAsync(source, target, "mt_streams", "id in (select id from moving_streams)", transaction);
        // With archive partitioning, the table that keeps a stream id unique across the hot and cold partitions.
        if (await ExistsAsync(target, IdentityTable, transaction) && await ExistsAsync(source, IdentityTable))
        {
            await ExecuteAsync(target, $"delete from {Schema}.{IdentityTable} where id in (select id from moving_streams)", transaction);
            await PipeAsync(source, target, IdentityTable, "id in (select id from moving_streams)", transaction);
        }
        // Events through a staging table: each takes the target's next sequence number, in the order the source gave them theirs.
        await ExecuteAsync(target, $"create temp table incoming_events (like {Schema}.mt_events) on commit drop", transaction);
        var eventColumns = (await ColumnsAsync(target, "mt_events", transaction)).Intersect(await ColumnsAsync(source, "mt_events", null)).ToList();
        var stamped = string.Join(", ", eventColumns.Select(c => c == "headers"
            ? $"coalesce(headers, '{{}}'::jsonb) || jsonb_build_object('{MovedFromHeader}', '{sourceName.Replace("'", "''")}')"
            : $"\"{c}\""));
        await using (var reader = await source.BeginRawBinaryCopyAsync(
                         $"copy (select {stamped} from {Schema}.mt_events where stream_id in (select id from moving_streams) order by seq_id) to stdout (format binary)"))
        await using (var writer = await target.BeginRawBinaryCopyAsync($"copy incoming_events ({string.Join(", ", eventColumns.Select(c => $"\"{c}\""))}) from stdin (format binary)"))
            await reader.CopyToAsync(writer);
        var rest = string.Join(", ", eventColumns.Where(c => c != "seq_id").Select(c => $"\"{c}\""));
        counts["events"] = await ExecuteAsync(target,
            $"insert into {Schema}.mt_events (seq_id, {rest}) select nextval('{Schema}.mt_events_sequence'), {rest} " +
            "from (select * from incoming_events order by seq_id) in_order", transaction);
        foreach (var (table, key) in AccountDocuments)
            counts[table] = await PipeAsync(source, target, table, $"{key} in (select id from moving_accounts)", transaction);
        foreach (var (table, key) in StreamDocuments)
            counts[table] = await PipeAsync(source, target, table, $"{key} in (select id from moving_streams)", transaction);
        // The bills' bytes, by their hash: content-addressed, so one already there is the same.
        await ExecuteAsync(source, "drop table if exists moving_documents; create temp table moving_documents as " +
                                   $"select distinct data->>'documentSha256' as sha256 from {Schema}.mt_doc_statementview where (data->>'accountId')::uuid in (select id from moving_accounts) " +
                                   $"union select distinct data->>'enclosureSha256' from {Schema}.mt_doc_letter where (data->>'accountId')::uuid in (select id from moving_accounts) and data->>'enclosureSha256' is not null");
        await ExecuteAsync(target, "create temp table incoming_documents (sha256 varchar, bytes bytea) on commit drop", transaction);
        await using (var reader = await source.BeginRawBinaryCopyAsync(
                         $"copy (select sha256, bytes from {Schema}.statement_documents where sha256 in (select sha256 from moving_documents)) to stdout (format binary)"))
        await using (var writer = await target.BeginRawBinaryCopyAsync("copy incoming_documents (sha256, bytes) from stdin (format binary)"))
            await reader.CopyToAsync(writer);
        counts["statement documents"] = await ExecuteAsync(target,
            $"insert into {Schema}.statement_documents (sha256, bytes) select sha256, bytes from incoming_documents on conflict (sha256) do nothing", transaction);
        await transaction.CommitAsync();
        return counts;
    }

    /// <summary>The rows of <paramref name="table"/> the condition selects, from the source into the target, column by column by name.</summary>
    private static async Task<long> PipeAsync(NpgsqlConnection source, NpgsqlConnection target, string table, string where, NpgsqlTransaction transaction)
    {
        var columns = (await ColumnsAsync(target, table, transaction)).Intersect(await ColumnsAsync(source, table, null)).ToList();
        var list = string.Join(", ", columns.Select(c => $"\"{c}\""));
        await using (var reader = await source.BeginRawBinaryCopyAsync(
                         $"copy (select {list} from {Schema}.{table} where {where}) to stdout (format binary)"))
        await using (var writer = await target.BeginRawBinaryCopyAsync($"copy {Schema}.{table} ({list}) from stdin (format binary)"))
            await reader.CopyToAsync(writer);
        return await CountAsync(target, $"select count(*) from {Schema}.{table} where {where}", transaction);
    }

    /// <summary>Marten's stream identity table (archive partitioning with strict stream identity), when the schema has one.</summary>
    private const string IdentityTable = "mt_streams_identity";

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string table, NpgsqlTransaction? transaction = null) =>
        (await ColumnsAsync(connection, table, transaction)).Count > 0;

    private static async Task<List<string>> ColumnsAsync(NpgsqlConnection connection, string table, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand(
            "select column_name from information_schema.columns where table_schema = @schema and table_name = @table order by ordinal_position",
            connection, transaction);
        command.Parameters.AddWithValue("schema", Schema);
        command.Parameters.AddWithValue("table", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            columns.Add(reader.GetString(0));
        return columns;
    }

    /// <summary>
    /// What does not hold, empty when all does: each table's rows as many in the target as in the source (with
    /// <paramref name="exact"/>), each stream's head in the source found, link for link, in the target (the same head
    /// with <paramref name="exact"/>), and each account's chain intact in the target and through the latest anchor's head.
    /// </summary>
    private static async Task<List<string>> VerifyAsync(WebApplication app, IDocumentStore store, NpgsqlConnection source, NpgsqlConnection target,
        LedgerDatabase to, List<Guid> streams, List<Guid> accounts, bool exact)
    {
        var problems = new List<string>();
        if (exact)
            foreach (var (table, key, set) in AccountDocuments.Select(d => (d.Key, d.Value, "moving_accounts"))
                         .Concat(StreamDocuments.Select(d => (d.Key, d.Value, "moving_streams"))))
            {
                var sql = $"select count(*) from {Schema}.{table} where {key} in (select id from {set})";
                var (there, here) = (await CountAsync(source, sql, null), await CountAsync(target, sql, null));
                if (there != here)
                    problems.Add($"{table}: {there} rows in the source, {here} in the target");
            }
        var sourceHeads = await HeadsAsync(source);
        var targetLinks = await LinksAsync(target);
        var targetVersions = targetLinks.Keys.GroupBy(k => k.Stream).ToDictionary(g => g.Key, g => g.Max(k => k.Version));
        foreach (var (stream, (version, link)) in sourceHeads)
        {
            if (!targetLinks.TryGetValue((stream, version), out var copied))
                problems.Add($"{stream}: the target has no version {version}, the source's head");
            else if (copied != link)
                problems.Add($"{stream}: at version {version} the target's link differs from the source's");
            else if (exact && targetVersions[stream] > version)
                problems.Add($"{stream}: the target has events past the source's head {version}");
        }
        var anchored = app.Services.GetService<AnchorStore>() is { } files ? (await files.LatestValidAsync(CancellationToken.None)).Latest : null;
        var heads = anchored?.Anchor!.Streams.ToDictionary(s => s.StreamId) ?? [];
        var database = await store.Storage.FindOrCreateDatabase(to.Name);
        await using var query = store.QuerySession(Marten.Services.SessionOptions.ForDatabase(database));
        foreach (var account in accounts)
            if (await IntegrityCheck.VerifyAsync(query, account, heads.GetValueOrDefault(account), CancellationToken.None) is { Intact: false } report)
                problems.Add($"{account}: {report.Finding} at version {report.FirstBrokenVersion} in the target ({report.Problem})");
        if (anchored is null)
            Console.WriteLine("No valid anchor: each chain is checked on its own and against the source's heads.");
        return problems;
    }

    /// <summary>Each of the set's streams' head: its version and the chain link there.</summary>
    private static async Task<Dictionary<Guid, (long, string?)>> HeadsAsync(NpgsqlConnection connection)
    {
        var heads = new Dictionary<Guid, (long, string?)>();
        await using var command = new NpgsqlCommand(
            $"select s.id, s.version, e.headers->>'chain' from {Schema}.mt_streams s left join {Schema}.mt_events e on e.stream_id = s.id and e.version = s.version " +
            "where s.id in (select id from moving_streams)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            heads[reader.GetGuid(0)] = (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
        return heads;
    }

    /// <summary>Every event's chain link of the set's streams, by stream and version.</summary>
    private static async Task<Dictionary<(Guid Stream, long Version), string?>> LinksAsync(NpgsqlConnection connection)
    {
        var links = new Dictionary<(Guid, long), string?>();
        await using var command = new NpgsqlCommand(
            $"select stream_id, version, headers->>'chain' from {Schema}.mt_events where stream_id in (select id from moving_streams)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            links[(reader.GetGuid(0), reader.GetInt64(1))] = reader.IsDBNull(2) ? null : reader.GetString(2);
        return links;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
