using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>Restarting PostgreSQL stops every database on the server, so this runs alone, after everything else.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseRestartCollection
{
    public const string Name = "database-restart";
}

[Collection(DatabaseRestartCollection.Name)]
public sealed class DatabaseRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("restart");
    private string ConnectionString => _database.ConnectionString;

    [Fact]
    public async Task While_PostgreSQL_restarts_the_API_is_not_ready_answers_503_never_500_and_recovers_losing_nothing()
    {
        await using var api = new ApiProcess(ConnectionString);
        await api.StartAsync(TimeSpan.FromSeconds(60));
        using var desk = api.ClientFor(TestUser.Csr("csr.restart"));
        var accountId = await desk.OpenAccount("cust-restart");
        var statuses = new ConcurrentBag<int>();
        var acknowledged = new ConcurrentDictionary<string, (decimal Amount, Guid EntryId)>();
        var unknown = new ConcurrentBag<(string Key, decimal Amount)>();
        using var stop = new CancellationTokenSource();
        var sent = 0;

        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            using var client = api.ClientFor(TestUser.Csr("csr.restart"));
            while (!stop.IsCancellationRequested)
            {
                var key = $"restart-{w}-{Interlocked.Increment(ref sent)}";
                var amount = 1m + w;
                try
                {
                    var response = await Charge(client, accountId, key, amount);
                    statuses.Add((int)response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.Created)
                        acknowledged[key] = (amount, (await response.Body())["entryId"]!.GetValue<Guid>());
                    else
                        unknown.Add((key, amount)); // a 503 says "nothing was recorded"; the retry below proves it
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    unknown.Add((key, amount));
                }
                await Task.Delay(20);
            }
        })).ToList();

        await Task.Delay(1500);
        Cluster("stop");
        var probes = new List<string>();
        int readyWhileDown;
        try
        {
            // Readiness is probed as an orchestrator does, every 250 ms while the database is down; the last probe before
            // it comes back must say "not ready". Every answer, with the staff view of the checks, is kept for the record.
            await Task.Delay(1000);
            using var probe = new HttpClient { BaseAddress = api.BaseAddress };
            probe.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.Token(TestUser.Admin("ada.probe")));
            readyWhileDown = 0;
            for (var i = 0; i < 4; i++, await Task.Delay(250))
            {
                var answer = await probe.GetAsync("/health/ready");
                readyWhileDown = (int)answer.StatusCode;
                probes.Add($"{readyWhileDown} {await answer.Content.ReadAsStringAsync()}");
            }
        }
        finally
        {
            Cluster("start");
        }
        output.WriteLine("readiness while PostgreSQL was down:\n" + string.Join("\n", probes));
        await Task.Delay(3000);
        stop.Cancel();
        await Task.WhenAll(workers);

        foreach (var (key, amount) in unknown)
        {
            var response = await Charge(desk, accountId, key, amount);
            response.StatusCode.Should().Be(HttpStatusCode.Created, "the API recovers by itself once PostgreSQL is back");
            acknowledged[key] = (amount, (await response.Body())["entryId"]!.GetValue<Guid>());
        }

        if (statuses.Any(s => s >= 500 && s != 503))
            output.WriteLine(api.Output);
        readyWhileDown.Should().Be(503, string.Join("\n", probes));
        statuses.Should().Contain(503, "writes during the outage answer 503").And.NotContain(s => s >= 500 && s != 503);
        (await desk.Balance(accountId)).Should().Be(acknowledged.Values.Sum(a => a.Amount));
        (await app_EventCount(accountId)).Should().Be(acknowledged.Count + 1, "every acknowledged charge is stored once, nothing else is");
        output.WriteLine($"database restart: {sent} requests, {statuses.Count(s => s == 201)} applied live, {statuses.Count(s => s == 503)} answered 503, " +
                         $"{unknown.Count} retried after recovery, events lost = 0");
    }

    private static Task<HttpResponseMessage> Charge(HttpClient client, Guid accountId, string key, decimal amount) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges")
        {
            Content = JsonContent.Create(new { amount, description = "Restart", category = "usage" }),
            Headers = { { "Idempotency-Key", key } },
        });

    private async Task<long> app_EventCount(Guid accountId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from ledger.mt_events where stream_id = @id", connection);
        command.Parameters.AddWithValue("id", accountId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The Debian cluster tools, as `./ledger` uses them (CI runs as root; elsewhere passwordless sudo is needed).</summary>
    private static void Cluster(string action)
    {
        var version = Run("pg_lsclusters", "-h").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(c => c[1] == "main")[0];
        var root = Environment.UserName == "root";
        Run(root ? "pg_ctlcluster" : "sudo", root ? $"{version} main {action}" : $"-n pg_ctlcluster {version} main {action}");
    }

    private static string Run(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {text}");
        return text;
    }

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();
}
