using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Spectre.Console;

namespace Ledger.Benchmarks;

public sealed record BenchOptions(TimeSpan Duration, int[] Clients, string[]? Only, int RunAccounts, int EventsPerAccount, int[] HistorySizes, int DemoAccounts,
    int BulkAccounts, int ImportAccounts, int CapacityAccounts, int CollectionAccounts, string Command);

/// <summary>
/// One run, one machine: the real API as a process on a scratch database, driven over HTTP, and PostgreSQL's own
/// rates (pgbench) and a bare Marten append measured in the same run, so each figure comes with its ratio to what
/// this machine can do.
/// </summary>
public static class BenchmarkRun
{
    /// <summary>Scenarios whose ratio is read against another request scenario, which then runs too.</summary>
    private static readonly Dictionary<string, string> MeasuredAgainst = new() { ["hot-account"] = "post-charge" };

    public static async Task<int> RunAsync(BenchOptions options)
    {
        bool Selected(string scenario) => options.Only is null || options.Only.Any(scenario.StartsWith);
        bool Wanted(string scenario) => Selected(scenario) || MeasuredAgainst.Any(n => n.Value == scenario && Selected(n.Key));
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("LEDGER_BENCH_ADMIN_CONNECTION")
            ?? "Host=localhost;Port=5432;Database=postgres;Username=ledger;Password=ledger");
        var database = $"ledger_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        CpuSampler.Database = database;
        await Baselines.Sql(admin.ConnectionString, $"create database {database}");
        var target = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, MaxPoolSize = 100 };
        var results = new List<Measurement>();
        using var interrupted = new Interrupted(() => DropAsync(admin.ConnectionString, database));
        try
        {
            using (var api = LedgerProcess.Serve(target.ConnectionString))
            {
                await api.WaitReady();
                using var csr = api.Client("bench.csr", "csr");
                using var adminHttp = api.Client("bench.admin", "admin", TimeSpan.FromMinutes(30));
                var accounts = await BenchAccounts.Seed(csr, 200);
                // Approved over-limit credits count towards an account's rolling 30-day credit total, which would soon
                // turn the in-limit credits into approval requests: that scenario gets accounts of its own.
                var approvalAccounts = await BenchAccounts.Open(csr, 300);

                // Bills to reprint: one short run over the HTTP-seeded accounts (the large run comes last, see below).
                var statements = new List<(Guid, Guid)>();
                if (Wanted("reprint-pdf"))
                {
                    await LargeScale.StatementRun(adminHttp, accounts);
                    foreach (var account in accounts.Take(100))
                    {
                        var list = await csr.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}/statements");
                        statements.Add((account, list[0].GetProperty("statementId").GetGuid()));
                    }
                }

                // The request mix first, while the database is small and no autovacuum of a bulk load runs beside it.
                var bulk = Wanted("bulk-charges") ? new BulkCharges(api, await BenchAccounts.Pool(target.ConnectionString, options.BulkAccounts)) : null;
                var scenarios = new HttpScenarios(api, target.ConnectionString, accounts, approvalAccounts, statements, bulk);
                foreach (var clients in options.Clients)
                {
                    results.AddRange(await scenarios.RunAll(clients, options.Duration, Wanted));
                    if (Wanted("pgbench") || Report.PgBenchBound.Any(Wanted))
                    {
                        await Baselines.ProjectionsCaughtUp(target.ConnectionString);
                        results.Add(await Baselines.PgBench("pgbench-insert", target, clients, options.Duration, insert: true));
                        results.Add(await Baselines.PgBench("pgbench-select", target, clients, options.Duration, insert: false));
                    }
                    if (Wanted("marten-append"))
                    {
                        await Baselines.ProjectionsCaughtUp(target.ConnectionString);
                        results.Add(await Baselines.MartenAppend(target, clients, options.Duration));
                    }
                }

                if (Wanted("as-of-read") || Wanted("summary-"))
                    results.AddRange(await LongHistory.Run(api, target.ConnectionString, options.HistorySizes, options.Duration));

                if (Wanted("statement-run") || Wanted("projection-rebuild"))
                {
                    var (runAccounts, seeding) = await LargeScale.SeedHistories(target.ConnectionString, options.RunAccounts, options.EventsPerAccount);
                    results.Add(seeding);
                    // The running service's async projections (the audit log writes a row per event) catch up with the
                    // bulk load first, as they would overnight; measured while catching up, the run paid for the load.
                    var catchUp = System.Diagnostics.Stopwatch.StartNew();
                    await Baselines.ProjectionsCaughtUp(target.ConnectionString, TimeSpan.FromMinutes(15));
                    AnsiConsole.MarkupLine($"async projections caught up with the bulk load in {catchUp.Elapsed.TotalSeconds:F0} s");
                    results.Add(await LargeScale.StatementRun(adminHttp, runAccounts));
                }
                if (Wanted("collections-run"))
                    results.AddRange(await CollectionsRun.Run(api, target.ConnectionString, options.CollectionAccounts));
                if (Wanted("policy-simulation"))
                    results.AddRange(await PolicySimulationRun.Run(api, target.ConnectionString, options.DemoAccounts));
                if (Wanted("consolidated-"))
                    results.AddRange(await ConsolidatedBill.Run(api, target.ConnectionString, 1_000));
                // While the service runs, so that its async projections (the audit log) grow as they would.
                if (Wanted("capacity"))
                    results.AddRange(await Capacity.Run(target.ConnectionString, options.CapacityAccounts, options.EventsPerAccount));
            }
            // Several nodes behind the balancer, each a process of its own: the single service is stopped first.
            if (Wanted("cluster"))
                results.AddRange(await Cluster.Run(target.ConnectionString, options.Clients.MinBy(c => Math.Abs(c - 16)), options.Duration,
                    failover: true));
            // The service is stopped, as for a migration before go-live: the import alone beside PostgreSQL, at the
            // pgbench client count nearest its default parallelism (16), against which it is read.
            if (Wanted("import") || Wanted("import-rerun"))
                results.AddRange(await Import.Run(target.ConnectionString, options.ImportAccounts, options.Clients.MinBy(c => Math.Abs(c - 16))));
            // A rebuild replaces the read side the service serves from.
            if (Wanted("projection-rebuild"))
                results.Add(await LargeScale.Rebuild(target.ConnectionString));
            if (Wanted("seed-demo"))
                results.Add(await LargeScale.DemoSeed(target.ConnectionString, options.DemoAccounts));
        }
        finally
        {
            if (results.Count > 0)
                Report.Write(results, options.Duration, options.Command, options.Only);
            await DropAsync(admin.ConnectionString, database);
        }
        return 0;
    }

    /// <summary>An autovacuum worker may still hold the scratch database (only a superuser may end it): retry, then say so.</summary>
    private static async Task DropAsync(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Baselines.Sql(admin, $"drop database if exists {database} with (force)");
                return;
            }
            catch (PostgresException e) when (attempt < 10)
            {
                AnsiConsole.MarkupLine($"[grey]dropping {database}: {Markup.Escape(e.MessageText)}; retrying[/]");
                await Task.Delay(2000);
            }
            catch (PostgresException e)
            {
                AnsiConsole.MarkupLine($"[yellow]Could not drop {database} ({Markup.Escape(e.MessageText)}); drop it by hand.[/]");
                return;
            }
        }
    }
}
