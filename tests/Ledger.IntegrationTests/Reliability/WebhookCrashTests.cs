using System.Net;
using Ledger.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// The API as a real process, killed while a customer is on the processor's page: the card is accepted there, the
/// processor's webhook finds nobody, and it keeps trying. Restarted, the ledger takes the next attempt and settles the
/// payment once; nothing was lost and nothing is applied twice.
/// </summary>
public sealed class WebhookCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("webhook_crash");
    private ApiProcess? _api;
    private StandIn? _processor;

    [Fact]
    public async Task A_payment_accepted_while_the_ledger_is_down_settles_once_when_it_is_back()
    {
        _processor = await StandIn.StartAsync(() => new StandIn.ToLedgerAt(() => _api!.BaseAddress), o =>
        {
            o.FirstRetryDelay = TimeSpan.FromSeconds(1);
            o.MaxDeliveryAttempts = 12;
        });
        var settings = _processor.Settings.ToDictionary(s => s.Key.Replace(":", "__"), s => s.Value);
        _api = new ApiProcess(NotificationApp.SmallPool(_database.ConnectionString), settings);
        await _api.StartAsync(TimeSpan.FromSeconds(60));
        Guid accountId;
        string page;
        using (var desk = _api.ClientFor(TestUser.Csr("csr.webhook-crash")))
        {
            accountId = await desk.OpenAccount("cust-webhook-crash");
            await desk.Post(accountId, "charges", new { amount = 75m, description = "Water", category = "water" });
        }
        using (var customer = _api.ClientFor(TestUser.Customer("cust-webhook-crash")))
            page = (await customer.PayPending(accountId, new { amount = 75m, method = "card" }))["paymentPageUrl"]!.GetValue<string>();

        _api.Kill();
        output.WriteLine("ledger killed; the customer pays on the processor's page");
        (await _processor.PayAsync(page)).StatusCode.Should().Be(HttpStatusCode.SeeOther);
        for (var deadline = DateTime.UtcNow.AddSeconds(20); (await _processor.DeliveriesAsync()).All(d => d!["outcome"]!.GetValue<string>() != "retry_scheduled")
             && DateTime.UtcNow < deadline;)
            await Task.Delay(100);
        (await _processor.DeliveriesAsync()).Should().Contain(d => d!["outcome"]!.GetValue<string>() == "retry_scheduled",
            "the webhook found nobody and the processor will try again");

        await _api.DisposeAsync();
        var restarted = _api = new ApiProcess(NotificationApp.SmallPool(_database.ConnectionString), settings);
        await restarted.StartAsync(TimeSpan.FromSeconds(60));
        output.WriteLine("ledger restarted");
        using var after = restarted.ClientFor(TestUser.Customer("cust-webhook-crash"));
        for (var deadline = DateTime.UtcNow.AddSeconds(60); await after.Balance(accountId) != 0m && DateTime.UtcNow < deadline;)
            await Task.Delay(250);

        (await after.Balance(accountId)).Should().Be(0m, "the payment settled when the processor tried again");
        var succeeded = (await _processor.EventsAsync("payment_intent.succeeded")).Single()!["id"]!.GetValue<string>();
        await _processor.ControlAsync($"/_standin/events/{succeeded}/resend");
        await Task.Delay(1_000);
        var types = (await EventStore.Events(_database.ConnectionString, accountId)).Select(e => e.Type).ToList();
        types.Count(t => t == "payment_received").Should().Be(1, "applied once, however often it was delivered");
        types.Count(t => t == "payment_confirmed").Should().Be(1);
        (await _processor.DeliveriesAsync(succeeded)).Select(d => d!["outcome"]!.GetValue<string>()).Should()
            .StartWith("retry_scheduled").And.Contain("delivered");
    }

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_api is not null)
            await _api.DisposeAsync();
        if (_processor is not null)
            await _processor.DisposeAsync();
        await _database.DisposeAsync();
    }
}
