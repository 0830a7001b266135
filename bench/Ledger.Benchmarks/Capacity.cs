using Npgsql;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// How the database grows: the same history appended twice through the write path (seed-history, with the service's
/// async projections caught up after each), and every ledger table's growth between the two divided by what drives it
/// (accounts for the stream and account tables; events for the rest: events, line items, the audit log, checkpoints). The slope,
/// not the total, is what the capacity plan in docs/operations.md extrapolates to 10 million accounts and 1 billion events.
/// </summary>
public static class Capacity
{
    /// <summary>Tables that grow with accounts rather than with events.</summary>
    private static readonly string[] PerAccount = ["mt_streams", "mt_doc_account"];

    public static async Task<List<Measurement>> Run(string connectionString, int accounts, int eventsPerAccount)
    {
        var first = await Step(connectionString, accounts, eventsPerAccount);
        var second = await Step(connectionString, accounts, eventsPerAccount);
        var (events, opened) = (second.Events - first.Events, (long)accounts);
        // WAL is the whole cluster's: the figure holds when this run is the only writer, as it is on a quiet machine.
        var walPerEvent = (second.WalBytes - first.WalBytes) / (double)events;
        var table = new Table().AddColumns("table", "grows with", "heap bytes each", "index bytes each", "total bytes each");
        var results = new List<Measurement>();
        double perEvent = 0, perAccount = 0;
        foreach (var (name, (heap, index)) in second.Tables.OrderByDescending(s => s.Value.Heap + s.Value.Index))
        {
            var (heapBefore, indexBefore) = first.Tables.GetValueOrDefault(name);
            var byAccount = PerAccount.Contains(name);
            var unit = byAccount ? opened : events;
            var (h, i) = ((heap - heapBefore) / (double)unit, (index - indexBefore) / (double)unit);
            if (h + i < 1)
                continue;
            if (byAccount) perAccount += h + i; else perEvent += h + i;
            table.AddRow(name, byAccount ? "account" : "event", $"{h:F0}", $"{i:F0}", $"{h + i:F0}");
        }
        AnsiConsole.Write(table);
        var indexes = new Table().AddColumns("index", "bytes per event or account");
        foreach (var (name, bytes) in second.Indexes.OrderByDescending(i => i.Value - first.Indexes.GetValueOrDefault(i.Key)).Take(12))
        {
            var unit = PerAccount.Contains(name.Table) ? opened : events;
            var each = $"{(bytes - first.Indexes.GetValueOrDefault(name)) / (double)unit:F1} bytes per {(unit == opened ? "account" : "event")}";
            indexes.AddRow($"{name.Index} on {name.Table}", each);
            results.Add(Measurement.Job("capacity-index", 1, unit, TimeSpan.FromSeconds(1), 0, $"{name.Index} on {name.Table}: {each}"));
        }
        AnsiConsole.Write(indexes);
        var extrapolated = (1e9 * perEvent + 1e7 * perAccount) / 1e12;
        AnsiConsole.MarkupLine($"capacity: [green]{perEvent:F0}[/] bytes per event and [green]{perAccount:F0}[/] per account, with indexes: " +
                               $"1 billion events and 10 million accounts ≈ [green]{extrapolated:F2} TB[/]");
        results.Add(Measurement.Job("capacity-bytes-per-event", 1, events, TimeSpan.FromSeconds(1), 0,
            $"{perEvent:F0} bytes per event, indexes included (events, line items, audit log; the slope between {first.Events:N0} and {second.Events:N0} events)"));
        results.Add(Measurement.Job("capacity-bytes-per-account", 1, opened, TimeSpan.FromSeconds(1), 0,
            $"{perAccount:F0} bytes per account ({string.Join(", ", PerAccount)}); 1e9 events + 1e7 accounts ≈ {extrapolated:F2} TB before WAL and backups"));
        results.Add(Measurement.Job("capacity-wal-per-event", 1, events, TimeSpan.FromSeconds(1), 0,
            $"{walPerEvent:F0} bytes of WAL per event (appends, projections, vacuum; the cluster's whole WAL between the two sizings)"));
        AnsiConsole.MarkupLine($"capacity: [green]{walPerEvent:F0}[/] bytes of WAL per event");
        return results;
    }

    private sealed record Sizes(long Events, long WalBytes, Dictionary<string, (long Heap, long Index)> Tables, Dictionary<(string Index, string Table), long> Indexes);

    private static async Task<Sizes> Step(string connectionString, int accounts, int eventsPerAccount)
    {
        await LargeScale.SeedHistories(connectionString, accounts, eventsPerAccount);
        await Baselines.ProjectionsCaughtUp(connectionString, TimeSpan.FromMinutes(15));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // Sizes as PostgreSQL keeps them on disk (heap with its TOAST, and every index), after a vacuum so that dead
        // rows of the projections' upserts do not count as growth.
        await using (var vacuum = new NpgsqlCommand("vacuum analyze", connection) { CommandTimeout = 600 })
            await vacuum.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand("""
            select c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid), (select count(*) from ledger.mt_events),
                   pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'ledger' and c.relkind in ('r', 'p');
            select c.relname, t.relname, pg_relation_size(c.oid)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            join pg_index i on i.indexrelid = c.oid join pg_class t on t.oid = i.indrelid
            where n.nspname = 'ledger' and c.relkind = 'i'
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var sizes = new Dictionary<string, (long, long)>();
        long events = 0, wal = 0;
        while (await reader.ReadAsync())
        {
            sizes[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            (events, wal) = (reader.GetInt64(3), reader.GetInt64(4));
        }
        await reader.NextResultAsync();
        var indexes = new Dictionary<(string, string), long>();
        while (await reader.ReadAsync())
            indexes[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
        return new Sizes(events, wal, sizes, indexes);
    }
}
