using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Xunit.Abstractions;
using static Ledger.IntegrationTests.Webhooks.Subscriptions;

namespace Ledger.IntegrationTests.Webhooks;

/// <summary>
/// The API as a real process, killed (SIGKILL) while a delivery is in flight and more events wait behind it; restarted,
/// it delivers every event, in order, to a receiver that never heard of the crash.
/// </summary>
public sealed class WebhookDeliveryCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("webhook_crash");
    private WebhookReceiver _receiver = null!;

    [Fact]
    public async Task Killing_the_process_mid_delivery_loses_nothing_and_the_restart_delivers_everything_in_order()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _receiver.HangAgain();
        Guid accountId;
        await using (var api = new ApiProcess(ConnectionString, Settings))
        {
            await api.StartAsync(TimeSpan.FromSeconds(60));
            using var admin = api.ClientFor(TestUser.Admin());
            await admin.Subscribe(_receiver.Url());
            using var desk = api.ClientFor(TestUser.Csr("csr.webhook-crash"));
            accountId = await desk.OpenAccount("cust-webhook-crash");
            for (var i = 0; i < 5; i++)
                await desk.Post(accountId, "charges", new { amount = 3m, description = $"Before the crash {i}", category = "usage" });
            for (var i = 0; i < 200 && _receiver.Hanging == 0; i++)
                await Task.Delay(100);
            _receiver.Hanging.Should().BeGreaterThan(0, "a delivery is in flight when the process dies");
            api.Kill();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed mid-delivery (6 events committed)");
        }
        _receiver.Accepted.Should().BeEmpty();

        _receiver.Release();
        await using var restarted = new ApiProcess(ConnectionString, Settings);
        await restarted.StartAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: restarted");
        using var desk2 = restarted.ClientFor(TestUser.Csr("csr.webhook-crash"));
        await desk2.Post(accountId, "charges", new { amount = 4m, description = "After the restart", category = "usage" });

        await Eventually(async () =>
        {
            await Task.Yield();
            return FirstAcceptedVersions(_receiver.Accepted).GetValueOrDefault(accountId)?.Count >= 7 ? "" : null;
        }, TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {_receiver.Accepted.Count} deliveries accepted");
        FirstAcceptedVersions(_receiver.Accepted)[accountId].Should().Equal([1, 2, 3, 4, 5, 6, 7], "every event once at least, in stream order");
    }

    private string ConnectionString => NotificationApp.SmallPool(_database.ConnectionString);

    private static Dictionary<string, string> Settings => new()
    {
        ["Webhooks__AllowLoopback"] = "true",
        ["Webhooks__Timeout"] = "00:02:00",
        ["Webhooks__RetryDelays"] = "00:00:01, 00:00:02",
    };

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _receiver = await WebhookReceiver.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }
}
