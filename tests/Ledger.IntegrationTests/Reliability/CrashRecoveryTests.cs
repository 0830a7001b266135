using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// The API as a real process, killed with SIGKILL in the middle of parallel postings, then restarted: every
/// acknowledged posting is stored exactly once, nothing unacknowledged sneaks in, balances add up, and the async
/// projection catches up with the events.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("crash");
    private string ConnectionString => _database.ConnectionString;

    private sealed record Posting(Guid AccountId, string Kind, decimal Amount, string Key)
    {
        public object Body => Kind switch
        {
            "charges" => new { amount = Amount, description = "Usage", category = "usage" },
            "payments" => new { amount = Amount, method = "cash", reference = Key },
            _ => new { amount = Amount, reasonCode = "goodwill", reason = "Crash test" },
        };

        public decimal Effect => Kind == "charges" ? Amount : -Amount;
    }

    [Fact]
    public async Task Killing_the_process_mid_load_loses_and_duplicates_nothing_that_was_acknowledged()
    {
        await using var api = new ApiProcess(ConnectionString);
        await api.StartAsync(TimeSpan.FromSeconds(60));
        var csr = TestUser.Csr("csr.crash");
        using var setup = api.ClientFor(csr);
        var accounts = new List<Guid>();
        for (var i = 0; i < 8; i++)
            accounts.Add(await setup.OpenAccount($"cust-crash-{i}"));

        var acknowledged = new ConcurrentDictionary<string, (Posting Posting, Guid EntryId)>();
        var refused = new ConcurrentBag<Posting>();
        var unknown = new ConcurrentBag<Posting>();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            using var client = api.ClientFor(TestUser.Csr($"csr.crash.{w}"));
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                var kind = random.Next(10) switch { < 6 => "charges", < 9 => "payments", _ => "credits" };
                var posting = new Posting(accounts[random.Next(accounts.Count)], kind, random.Next(1, 5000) / 100m, $"crash-{w}-{Interlocked.Increment(ref sent)}");
                try
                {
                    var response = await Send(client, posting);
                    if (response.StatusCode == HttpStatusCode.Created)
                        acknowledged[posting.Key] = (posting, (await response.Body())["entryId"]!.GetValue<Guid>());
                    else
                        refused.Add(posting);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    unknown.Add(posting); // the connection died with the process: the outcome is not known yet
                    await Task.Delay(50);
                }
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(4));
        api.Kill();
        await Task.Delay(500);
        stop.Cancel();
        await Task.WhenAll(workers);

        await api.StartAsync(TimeSpan.FromSeconds(60));
        // A client that lost its answer retries with the same Idempotency-Key: it gets the first answer, or the posting now.
        foreach (var posting in unknown)
        {
            using var client = api.ClientFor(TestUser.Csr($"csr.crash.{posting.Key.Split('-')[1]}"));
            var response = await Send(client, posting);
            if (response.StatusCode == HttpStatusCode.Created)
                acknowledged[posting.Key] = (posting, (await response.Body())["entryId"]!.GetValue<Guid>());
            else
                refused.Add(posting);
        }

        var stored = await StoredEntries();
        foreach (var (posting, entryId) in acknowledged.Values)
            stored.GetValueOrDefault(entryId).Should().Be(1, $"acknowledged {posting.Kind} {posting.Key} must be stored exactly once");
        stored.Keys.Should().BeEquivalentTo(acknowledged.Values.Select(a => a.EntryId), "nothing that was not acknowledged may be stored");
        foreach (var accountId in accounts)
            (await setup.Balance(accountId)).Should().Be(acknowledged.Values.Where(a => a.Posting.AccountId == accountId).Sum(a => a.Posting.Effect));

        await WaitForAuditLogToCatchUp();
        output.WriteLine($"crash recovery: {sent} requests sent, {acknowledged.Count} acknowledged, {refused.Count} not applied (refused or parked for approval), " +
                         $"{unknown.Count} cut off by the crash and resolved by retry, 1 crash survived, events lost = 0, duplicates = 0");
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, Posting posting) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{posting.AccountId}/{posting.Kind}")
        {
            Content = JsonContent.Create(posting.Body),
            Headers = { { "Idempotency-Key", posting.Key } },
        });

    private async Task<Dictionary<Guid, int>> StoredEntries()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (data->>'entryId')::uuid, count(*) from ledger.mt_events where type in ('charge_posted','payment_received','credit_issued') group by 1",
            connection);
        var result = new Dictionary<Guid, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            result[reader.GetGuid(0)] = (int)reader.GetInt64(1);
        return result;
    }

    private async Task WaitForAuditLogToCatchUp()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        long events = 0, audited = -1;
        for (var i = 0; i < 150 && audited != events; i++)
        {
            await Task.Delay(200);
            await using var command = new NpgsqlCommand("select (select count(*) from ledger.mt_events), (select count(*) from ledger.mt_doc_auditentry)", connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            (events, audited) = (reader.GetInt64(0), reader.GetInt64(1));
        }
        audited.Should().Be(events, "the async audit projection catches up with every event after the restart");
    }

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();
}
