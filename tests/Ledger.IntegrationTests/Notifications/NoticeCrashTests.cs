using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Ledger.IntegrationTests.Harness;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Notifications;

/// <summary>
/// The API as a real process, killed (SIGKILL) after the ledger committed and while its notices were still being
/// sent; restarted against a working SMTP server, it delivers each of them exactly once.
/// </summary>
public sealed class NoticeCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly ScratchDatabase _database = new("notice_crash");
    private readonly SmtpSink _smtp = new();
    private readonly TcpListener _silent = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Killing_the_process_after_commit_and_before_send_delivers_each_notice_exactly_once_after_restart()
    {
        // An SMTP "server" that accepts the connection and never greets: the send hangs, exactly mid-delivery.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        _silent.Start();
        var held = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
                held.Add(await _silent.AcceptTcpClientAsync());
        });
        var email = $"crash-{Guid.NewGuid():N}@example.org";
        Guid accountId;
        await using (var api = new ApiProcess(NotificationApp.SmallPool(_database.ConnectionString), Settings(((IPEndPoint)_silent.LocalEndpoint).Port)))
        {
            await api.StartAsync(TimeSpan.FromSeconds(60));
            using var desk = api.ClientFor(TestUser.Csr("csr.notice-crash"));
            accountId = await desk.OpenAccount("cust-notice-crash");
            (await desk.PutAsJsonAsync($"/api/accounts/{accountId}/contact-preferences", new { channel = "email", email })).StatusCode.Should().Be(HttpStatusCode.OK);
            await desk.Post(accountId, "payments", new { amount = 70m, method = "cash", reference = "CRASH-1" });
            for (var i = 0; i < 100 && held.Count == 0; i++)
                await Task.Delay(100);
            held.Should().NotBeEmpty("the first notice is being sent when the process dies");
            api.Kill();
            output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: killed while sending (committed: contact change and payment)");
        }
        _smtp.Messages().Should().BeEmpty();

        await _smtp.StartAsync();
        await using var restarted = new ApiProcess(NotificationApp.SmallPool(_database.ConnectionString), Settings(_smtp.Port));
        await restarted.StartAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: restarted and ready");
        // The new address gets only the link to confirm it; until confirmed, the other two notices go on paper.
        // The dead process is a node of the cluster until its heartbeat is stale; then what it had taken is released.
        var mail = await _smtp.WaitFor(email, 1, TimeSpan.FromSeconds(90));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s: {mail.Count} messages received");
        mail.Select(m => m.Subject).Should().ContainSingle().Which.Should().StartWith("Confirm your e-mail address");
        await Task.Delay(1500);
        _smtp.Messages().Should().HaveCount(1, "each notice exactly once, none lost and none doubled");

        using var auditor = restarted.ClientFor(TestUser.Auditor());
        async Task<List<System.Text.Json.Nodes.JsonObject>> History() =>
            (await (await auditor.GetAsync($"/api/accounts/{accountId}/history")).Content.ReadFromJsonAsync<List<System.Text.Json.Nodes.JsonObject>>())!;
        // The letter after the e-mail follows it through the one-at-a-time queue; on a loaded machine that takes a moment.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); (await History()).Count(e => e["type"]!.GetValue<string>() == "letter_queued") < 2
             && DateTime.UtcNow < deadline;)
            await Task.Delay(250);
        await Task.Delay(1000);
        var history = await History();
        history.Count(e => e["type"]!.GetValue<string>() == "notice_sent").Should().Be(1);
        history.Count(e => e["type"]!.GetValue<string>() == "letter_queued").Should().Be(2, "each letter exactly once, none lost and none doubled");
        foreach (var client in held)
            client.Dispose();
        _silent.Stop();
        await accepting.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static Dictionary<string, string> Settings(int smtpPort) => new()
    {
        ["Notifications__Smtp__Port"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Notifications__Smtp__TimeoutSeconds"] = "60",
        ["Notifications__RetryCooldowns"] = "00:00:00.200",
        ["Notifications__ScheduledRetries"] = "",
    };

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        _silent.Stop();
        await _smtp.DisposeAsync();
        await _database.DisposeAsync();
    }
}
