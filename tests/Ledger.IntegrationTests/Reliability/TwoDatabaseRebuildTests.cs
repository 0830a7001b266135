using System.Diagnostics;
using Ledger.IntegrationTests.Harness;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// Projections rebuilt per database (docs/capacity.md, "Rebuilding"): with accounts over two databases, each database's
/// read side is rebuilt from that database's events by a daemon of its own, and comes back equal to what incremental
/// processing built, document for document.
/// </summary>
[Collection(TwoDatabasesCollection.Name)]
public sealed class TwoDatabaseRebuildTests(TwoDatabaseApp app, ITestOutputHelper output)
{
    private static readonly string[] Tables = ["mt_doc_account", "mt_doc_entry", "mt_doc_approvalview", "mt_doc_auditentry"];

    [Fact]
    public async Task Each_database_rebuilds_its_own_read_side_from_its_own_events_to_the_same_documents()
    {
        using var desk = app.ClientFor(TestUser.Csr("csr.rebuild-two"));
        var accounts = new List<Guid>();
        foreach (var second in new[] { false, true })
        {
            var account = await desk.OpenAccount(TwoDatabaseApp.CustomerIn(second, "cust-rebuild-two"));
            var charge = await desk.Post(account, "charges", new { amount = 70m, description = "Line", category = "telecom" });
            await desk.Post(account, "corrections", new { entryId = charge, amount = 10m, reason = "promo" });
            await desk.Post(account, "credits", new { amount = 5m, reasonCode = "goodwill", reason = "Outage" });
            accounts.Add(account);
        }
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var databases = new[] { app.ConnectionString, app.SecondConnectionString };
        // Background writers of this shared app may append meanwhile: audit entries are compared up to each database's mark.
        var marks = new List<long>();
        foreach (var database in databases)
            marks.Add(await EventStore.Count(database, "select coalesce(max(seq_id), 0) from ledger.mt_events"));
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var before = new List<Dictionary<string, string>>();
        for (var i = 0; i < databases.Length; i++)
            before.Add(await Snapshot(databases[i], marks[i]));
        before.Should().OnlyContain(documents => documents.Keys.Any(k => k.StartsWith("mt_doc_auditentry:", StringComparison.Ordinal)));

        foreach (var database in databases)
            await Execute(database, string.Join(';', Tables.Select(t => $"delete from ledger.{t}")));
        (await Snapshot(databases[1], marks[1])).Should().BeEmpty("the read side of both databases is gone");

        (await store.Storage.AllDatabases()).Should().HaveCount(2);
        // A daemon per database, chosen by a tenant (bucket) it holds.
        foreach (var identifier in new[] { "bucket-00", "bucket-08" })
        {
            var clock = Stopwatch.StartNew();
            using var daemon = await store.BuildProjectionDaemonAsync(identifier);
            foreach (var projection in store.Options.Events.Projections().Select(p => p.Name).Distinct())
                await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);
            output.WriteLine($"{identifier}: every projection rebuilt in {clock.Elapsed.TotalSeconds:F1} s");
        }

        for (var i = 0; i < databases.Length; i++)
        {
            var after = await Snapshot(databases[i], marks[i]);
            after.Keys.Should().BeEquivalentTo(before[i].Keys, $"database {i + 1} has the same documents again");
            foreach (var (key, json) in before[i])
                after[key].Should().Be(json, $"{key} in database {i + 1} must rebuild identically");
            after.Keys.Should().Contain($"mt_doc_account:{accounts[i]}", "each account is rebuilt in its own database")
                .And.NotContain($"mt_doc_account:{accounts[1 - i]}");
        }
    }

    private static async Task<Dictionary<string, string>> Snapshot(string connectionString, long mark)
    {
        var documents = new Dictionary<string, string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            var filter = table == "mt_doc_auditentry" ? $" where (data ->> 'sequence')::bigint <= {mark}" : "";
            await using var command = new NpgsqlCommand($"select id::text, data::text from ledger.{table}{filter}", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                documents[$"{table}:{reader.GetString(0)}"] = reader.GetString(1);
        }
        return documents;
    }

    private static async Task Execute(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
