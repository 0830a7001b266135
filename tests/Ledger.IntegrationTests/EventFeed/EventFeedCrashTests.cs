using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.EventFeed;

/// <summary>
/// The API as a real process under a steady load of writes, killed (SIGKILL) in the middle of it; restarted, the feed
/// carries exactly the events the store holds: every committed one (at least once), none that was not committed.
/// </summary>
public sealed class EventFeedCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("feed_crash");
    private readonly string _exchange = $"ledger.events.crash-{Guid.NewGuid():N}";

    [Fact]
    public async Task After_a_kill_mid_load_the_feed_matches_the_event_store_one_for_one()
    {
        await using var consumer = await FeedConsumer.StartAsync(_exchange);
        var accounts = new List<Guid>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await using (var api = new ApiProcess(ConnectionString, Settings))
        {
            await api.StartAsync(TimeSpan.FromSeconds(60));
            using var desk = api.ClientFor(TestUser.Csr("csr.feed-crash"));
            for (var i = 0; i < 5; i++)
                accounts.Add(await desk.OpenAccount($"cust-feed-crash-{i}"));
            using var stop = new CancellationTokenSource();
            var committed = 0;
            var writers = Enumerable.Range(0, 10).Select(w => Task.Run(async () =>
            {
                for (var n = 0; !stop.IsCancellationRequested; n++)
                {
                    try
                    {
                        var response = await desk.PostAsJsonAsync($"/api/accounts/{accounts[(w + n) % 5]}/charges",
                            new { amount = 1m, description = $"Load {w}-{n}", category = "usage" }, stop.Token);
                        if (response.IsSuccessStatusCode)
                            Interlocked.Increment(ref committed);
                    }
                    catch (Exception)
                    {
                        await Task.Delay(20); // the process is gone: the answer never comes, the write may or may not have committed
                    }
                }
            })).ToList();
            while (Volatile.Read(ref committed) < 60)
                await Task.Delay(20);
            api.Kill();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed after {committed} acknowledged writes, {consumer.Messages.Count} messages so far");
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }

        await using var restarted = new ApiProcess(ConnectionString, Settings);
        await restarted.StartAsync(TimeSpan.FromSeconds(60));
        using var auditor = restarted.ClientFor(TestUser.Auditor());
        var stored = new List<string>();
        foreach (var account in accounts)
            stored.AddRange((await auditor.GetFromJsonAsync<JsonArray>($"/api/accounts/{account}/history"))!.Select(e => e!["id"]!.ToString()));
        var published = await consumer.WaitFor(m => accounts.Contains(m.AccountId), stored.Count, TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {stored.Count} events stored, {published.Count} messages ({published.Select(m => m.Id).Distinct().Count()} distinct)");
        published.Select(m => m.Id).Distinct().Should().BeEquivalentTo(stored, "every committed event is published, and nothing else");
    }

    private string ConnectionString => NotificationApp.SmallPool(_database.ConnectionString);

    private Dictionary<string, string> Settings => new()
    {
        ["Messaging__RabbitMq__Uri"] = FeedConsumer.BrokerUri,
        ["Messaging__RabbitMq__Exchange"] = _exchange,
    };

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();
}
