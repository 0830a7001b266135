using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using MimeKit;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// A real SMTP server on a free loopback port: Debian's python3-aiosmtpd writing every message it accepts into a
/// Maildir of its own. Tests read what it received; stopping it makes the port refuse connections (an outage).
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private Process? _process;

    public SmtpSink()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Port { get; }
    public string MailDir { get; } = Path.Combine(Path.GetTempPath(), $"ledger-mail-{Guid.NewGuid():N}");

    public async Task StartAsync()
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var start = new ProcessStartInfo(python, ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{Port}", "-c", "aiosmtpd.handlers.Mailbox", MailDir])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        _process = Process.Start(start)!;
        for (var i = 0; i < 100; i++)
        {
            if (_process.HasExited)
                throw new InvalidOperationException(
                    $"aiosmtpd exited ({_process.ExitCode}): {await _process.StandardError.ReadToEndAsync()} (apt-get install python3-aiosmtpd; ./ledger test does)");
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"aiosmtpd did not listen on port {Port} within 10 s.");
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, in the order the server stored them.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        new[] { "new", "cur" }.Select(d => Path.Combine(MailDir, d)).Where(Directory.Exists)
            .SelectMany(Directory.GetFiles).OrderBy(ArrivalOrder).ThenBy(f => f, StringComparer.Ordinal).Select(f => MimeMessage.Load(f)).ToList();

    /// <summary>
    /// Python's Maildir names a file "seconds.M{microseconds}P{pid}Q{counter}.host" with the microseconds not padded,
    /// so the names do not sort by arrival (a flaky order in a test); the numbers do.
    /// </summary>
    private static (long Seconds, long Micros, long Counter) ArrivalOrder(string file)
    {
        var match = System.Text.RegularExpressions.Regex.Match(Path.GetFileName(file), @"^(\d+)\.M(\d+)P\d+Q(\d+)");
        return match.Success
            ? (long.Parse(match.Groups[1].Value), long.Parse(match.Groups[2].Value), long.Parse(match.Groups[3].Value))
            : (long.MaxValue, 0, 0);
    }

    /// <summary>The messages to <paramref name="to"/>, once at least <paramref name="count"/> arrived (or the timeout passed).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitFor(string to, int count, TimeSpan? timeout = null) =>
        await Poll.UntilCollected(() => Messages().Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList(), matching => matching.Count >= count,
            timeout ?? TimeSpan.FromSeconds(20));

    public ValueTask DisposeAsync()
    {
        Stop();
        if (Directory.Exists(MailDir))
            Directory.Delete(MailDir, recursive: true);
        return ValueTask.CompletedTask;
    }
}

public static class ContactConfirmation
{
    /// <summary>Follows the confirmation link mailed to <paramref name="email"/>, as its owner would, so notices go there from now on.</summary>
    public static async Task ConfirmContact(this HttpClient client, SmtpSink smtp, string email)
    {
        var mail = (await smtp.WaitFor(email, 1)).First(m => (m.Subject ?? "").StartsWith("Confirm your e-mail address", StringComparison.Ordinal));
        var token = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? "", "token=([A-Za-z0-9_-]+)").Groups[1].Value;
        var confirmed = await client.PostAsJsonAsync("/api/contact-confirmations", new { token });
        confirmed.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
    }
}
