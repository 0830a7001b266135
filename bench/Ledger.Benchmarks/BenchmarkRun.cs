using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// One run, one machine: the real API as a process on a scratch database, driven over HTTP, and PostgreSQL's own
/// rates measured with pgbench in the same run, so each figure comes with its ratio to what this server can do.
/// </summary>
public static partial class BenchmarkRun
{
    private const string Issuer = "ledger-bench";
    private const string Audience = "ledger-bench";
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("benchmark-only-signing-key-0123456789abcdef-0123");

    public static async Task<int> RunAsync(TimeSpan duration, int[] clientCounts)
    {
        var admin = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("LEDGER_BENCH_ADMIN_CONNECTION")
            ?? "Host=localhost;Port=5432;Database=postgres;Username=ledger;Password=ledger");
        var database = $"ledger_bench_{DateTime.UtcNow:yyyyMMddHHmmss}";
        await Sql(admin.ConnectionString, $"create database {database}");
        var target = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, MaxPoolSize = 100 };
        using var api = StartApi(target.ConnectionString, out var baseAddress);
        var results = new List<Measurement>();
        try
        {
            using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", Token("bench.csr", "csr"));
            await WaitReady(http);
            var accounts = await Seed(http);
            using var adminHttp = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
            adminHttp.DefaultRequestHeaders.Authorization = new("Bearer", Token("bench.admin", "admin"));
            var statements = await StatementRun(adminHttp, http, accounts, results);

            foreach (var clients in clientCounts)
            {
                var random = new Random(clients);
                results.Add(await Measure("post-charge", clients, duration, async (_, _) =>
                    (await http.PostAsJsonAsync($"/api/accounts/{accounts[random.Next(accounts.Count)]}/charges",
                        new { amount = 12.34m, description = "Bench", category = "usage" })).IsSuccessStatusCode));
                results.Add(await Measure("account-summary", clients, duration, async (_, _) =>
                    (await http.GetAsync($"/api/accounts/{accounts[random.Next(accounts.Count)]}")).IsSuccessStatusCode));
                results.Add(await Measure("entries-page", clients, duration, async (_, _) =>
                    (await http.GetAsync($"/api/accounts/{accounts[random.Next(accounts.Count)]}/entries?sort=-amount&type=charge&minAmount=5&pageSize=20"))
                    .IsSuccessStatusCode));
                var creditors = Enumerable.Range(0, clients).Select(c =>
                {
                    var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
                    client.DefaultRequestHeaders.Authorization = new("Bearer", Token($"bench.csr.{clients}.{c}", "csr"));
                    return client;
                }).ToArray();
                results.Add(await Measure("credit-in-limits", clients, duration, async (c, _) =>
                    (await creditors[c].PostAsJsonAsync($"/api/accounts/{accounts[random.Next(accounts.Count)]}/credits",
                        new { amount = 0.01m, reasonCode = "goodwill", reason = "Bench" })).StatusCode == System.Net.HttpStatusCode.Created));
                results.Add(await Measure("as-of-read", clients, duration, async (_, _) =>
                    (await http.GetAsync($"/api/accounts/{accounts[random.Next(accounts.Count)]}?version=10")).IsSuccessStatusCode));
                results.Add(await Measure("reprint-pdf", clients, duration, async (_, _) =>
                {
                    var (account, statement) = statements[random.Next(statements.Count)];
                    return (await http.GetAsync($"/api/accounts/{account}/statements/{statement}/pdf")).IsSuccessStatusCode;
                }));
                results.Add(PgBench("pgbench-insert", target, clients, duration, insert: true));
                results.Add(PgBench("pgbench-select", target, clients, duration, insert: false));
            }
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            Report(results, duration);
            await DropAsync(admin.ConnectionString, database);
        }
        return 0;
    }

    private static async Task<Measurement> Measure(string scenario, int clients, TimeSpan duration, Func<int, long, Task<bool>> op)
    {
        var m = await Measurement.RunAsync(scenario, clients, duration, op);
        AnsiConsole.MarkupLine($"{scenario,-16} {clients,3} clients: [green]{m.OpsPerSecond,8:F0}[/] ops/s  p50 {m.P50Ms:F1} ms  p99 {m.P99Ms:F1} ms  errors {m.Errors}");
        return m;
    }

    /// <summary>One statement run over every seeded account (rendering included): statements per second.</summary>
    private static async Task<List<(Guid Account, Guid Statement)>> StatementRun(HttpClient admin, HttpClient http, List<Guid> accounts,
        List<Measurement> results)
    {
        await Task.Delay(50);
        var watch = Stopwatch.StartNew();
        var report = await (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = accounts })).Content.ReadFromJsonAsync<JsonElement>();
        var seconds = watch.Elapsed.TotalSeconds;
        var issued = report.GetProperty("issued").GetInt32();
        results.Add(new Measurement("statement-run", 4, issued / seconds, seconds * 1000, double.NaN, double.NaN, accounts.Count - issued, issued));
        AnsiConsole.MarkupLine($"statement-run: [green]{issued}[/] statements in {seconds:F1} s = {issued / seconds:F0} statements/s");
        var statements = new List<(Guid, Guid)>();
        foreach (var account in accounts.Take(50))
        {
            var list = await http.GetFromJsonAsync<JsonElement>($"/api/accounts/{account}/statements");
            statements.Add((account, list[0].GetProperty("statementId").GetGuid()));
        }
        return statements;
    }

    private static async Task<List<Guid>> Seed(HttpClient http)
    {
        var accounts = new List<Guid>();
        await AnsiConsole.Progress().StartAsync(async progress =>
        {
            var task = progress.AddTask("Seeding 200 accounts with 20 charges each", maxValue: 200);
            await Parallel.ForEachAsync(Enumerable.Range(0, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var opened = await http.PostAsJsonAsync("/api/accounts", new
                {
                    customerId = $"bench-{i}", holderName = $"Bench {i}", currency = "USD", billingDay = 1 + i % 28,
                    address = new { line1 = "1 Bench St", city = "Load", postalCode = "00000", country = "US" },
                }, ct);
                var id = (await opened.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
                for (var c = 0; c < 20; c++)
                    await http.PostAsJsonAsync($"/api/accounts/{id}/charges", new { amount = 1m + c, description = $"Seed {c}", category = "usage" }, ct);
                lock (accounts) accounts.Add(id);
                task.Increment(1);
            });
        });
        return accounts;
    }

    /// <summary>PostgreSQL's own ceiling: one-row durable inserts into an events-like table, or pgbench's select-only load.</summary>
    private static Measurement PgBench(string scenario, NpgsqlConnectionStringBuilder target, int clients, TimeSpan duration, bool insert)
    {
        string script;
        if (insert)
        {
            Sql(target.ConnectionString, "create table if not exists bench_events (stream_id uuid not null, version bigint not null, data jsonb not null, " +
                "unique (stream_id, version))").GetAwaiter().GetResult();
            script = Path.GetTempFileName();
            File.WriteAllText(script, "insert into bench_events values (gen_random_uuid(), 1, '{\"amount\": 12.34, \"description\": \"Bench\"}');\n");
        }
        else
        {
            Run("pgbench", $"-i -q -s 10 -h {target.Host} -p {target.Port} -U {target.Username} {target.Database}", target.Password!);
            script = "";
        }
        var output = Run("pgbench", $"{(insert ? $"-f {script}" : "-S")} -n -c {clients} -j {Math.Min(clients, 2)} -T {(int)duration.TotalSeconds} -r " +
            $"-h {target.Host} -p {target.Port} -U {target.Username} {target.Database}", target.Password!);
        var tps = double.Parse(Tps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var latency = double.Parse(Latency().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"{scenario,-16} {clients,3} clients: [blue]{tps,8:F0}[/] tps  mean latency {latency:F2} ms");
        return new Measurement(scenario, clients, tps, latency, double.NaN, double.NaN, 0, (long)(tps * duration.TotalSeconds));
    }

    private static void Report(List<Measurement> results, TimeSpan duration)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — {Environment.ProcessorCount} cores, {duration.TotalSeconds:F0} s per point");
        md.AppendLine();
        md.AppendLine("| scenario | clients | ops/s | p50 ms | p95 ms | p99 ms | errors | ratio to baseline |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var m in results)
        {
            var baseline = m.Scenario switch
            {
                "post-charge" => results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients),
                "credit-in-limits" => results.FirstOrDefault(b => b.Scenario == "pgbench-insert" && b.Clients == m.Clients),
                "account-summary" or "entries-page" or "as-of-read" or "reprint-pdf" => results.FirstOrDefault(b => b.Scenario == "pgbench-select" && b.Clients == m.Clients),
                _ => null,
            };
            var ratio = baseline is null ? "baseline" : $"{m.OpsPerSecond / baseline.OpsPerSecond:P1} of {baseline.Scenario}";
            md.AppendLine($"| {m.Scenario} | {m.Clients} | {m.OpsPerSecond:F0} | {F(m.P50Ms)} | {F(m.P95Ms)} | {F(m.P99Ms)} | {m.Errors} | {ratio} |");
        }
        md.AppendLine();
        md.AppendLine("pgbench rows give mean latency in the p50 column (pgbench reports no percentiles without per-transaction logs).");
        md.AppendLine("statement-run: one run over all seeded accounts (4 in parallel, PDF rendering included); its p50 column is the run's duration.");
        var directory = Path.Combine(Root(), "bench", "results");
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        File.WriteAllText(stem + ".md", md.ToString());
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(results,
            new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        AnsiConsole.WriteLine(md.ToString());
        AnsiConsole.MarkupLine($"Written to [green]{stem}.md[/] and .json");
    }

    private static string F(double v) => double.IsNaN(v) ? "–" : v.ToString("F1", CultureInfo.InvariantCulture);

    private static Process StartApi(string connectionString, out Uri baseAddress)
    {
        var port = 5200 + Random.Shared.Next(0, 500);
        baseAddress = new Uri($"http://127.0.0.1:{port}");
        var dll = Path.Combine(Root(), "src", "Ledger.Api", "bin", "Release", "net10.0", "Ledger.Api.dll");
        var start = new ProcessStartInfo("dotnet", [dll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Benchmark";
        start.Environment["ASPNETCORE_URLS"] = baseAddress.ToString();
        start.Environment["ConnectionStrings__Ledger"] = connectionString;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Key);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitReady(HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("The API did not become ready within 60 s.");
    }

    private static string Token(string user, string role) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = Issuer, Audience = Audience, Expires = DateTime.UtcNow.AddHours(2),
        Subject = new ClaimsIdentity([new Claim("sub", user), new Claim("role", role)]),
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Key), SecurityAlgorithms.HmacSha256),
    });

    /// <summary>An autovacuum worker may still hold the scratch database (only a superuser may end it): retry, then say so.</summary>
    private static async Task DropAsync(string admin, string database)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await Sql(admin, $"drop database if exists {database} with (force)");
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

    private static async Task Sql(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string Run(string file, string arguments, string password)
    {
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{file} {arguments} failed: {output}");
    }

    private static string Root()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "EventSourcedLedger.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex Latency();
}
