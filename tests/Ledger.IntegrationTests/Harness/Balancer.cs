using System.Diagnostics;
using System.Text;

namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// HAProxy (Debian's package; `./ledger test` installs it) in front of API processes, with the configuration
/// `./ledger run --nodes N` and docker compose use (deploy/haproxy.cfg) and a `server` line per node, on free ports.
/// </summary>
public sealed class Balancer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _configuration;

    private Balancer(Process process, string configuration, int port, int statsPort)
    {
        _process = process;
        _configuration = configuration;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Stats = new Uri($"http://127.0.0.1:{statsPort}/;csv");
    }

    public Uri BaseAddress { get; }

    /// <summary>HAProxy's status page as CSV: which node is UP or DOWN.</summary>
    public Uri Stats { get; }

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static string Executable =>
        new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("HAProxy is not installed: `./ledger test` installs it (apt-get install haproxy).");

    public static async Task<Balancer> StartAsync(IReadOnlyList<ApiProcess> nodes)
    {
        var configuration = Path.Combine(Path.GetTempPath(), $"ledger-haproxy-{Guid.NewGuid():N}.cfg");
        var servers = nodes.Select((n, i) => $"    server node{i + 1} 127.0.0.1:{n.Port} check");
        await File.WriteAllTextAsync(configuration,
            await File.ReadAllTextAsync(Path.Combine(Tools.RepositoryRoot, "deploy", "haproxy.cfg")) + string.Join('\n', servers) + '\n');
        var (port, statsPort) = (Ports.Free(), Ports.Free());
        var start = new ProcessStartInfo(Executable, ["-db", "-f", configuration])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["LEDGER_BALANCER_BIND"] = $"127.0.0.1:{port}";
        start.Environment["LEDGER_BALANCER_STATS"] = $"127.0.0.1:{statsPort}";
        var balancer = new Balancer(Process.Start(start)!, configuration, port, statsPort);
        balancer._process.OutputDataReceived += (_, e) => { lock (balancer._output) balancer._output.AppendLine(e.Data); };
        balancer._process.ErrorDataReceived += (_, e) => { lock (balancer._output) balancer._output.AppendLine(e.Data); };
        balancer._process.BeginOutputReadLine();
        balancer._process.BeginErrorReadLine();
        var up = await Poll.Until(balancer.NodesUp, n => n.Count == nodes.Count, TimeSpan.FromSeconds(30));
        if (up.Count != nodes.Count)
            throw new TimeoutException($"HAProxy did not see every node up ({string.Join(", ", up)}):\n{balancer.Output}");
        return balancer;
    }

    /// <summary>The nodes HAProxy now sends requests to (node1, node2, ...).</summary>
    public async Task<IReadOnlyList<string>> NodesUp()
    {
        if (_process.HasExited)
            throw new InvalidOperationException($"HAProxy exited with {_process.ExitCode}:\n{Output}");
        try
        {
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            var csv = await client.GetStringAsync(Stats);
            return csv.Split('\n').Select(l => l.Split(','))
                .Where(f => f.Length > 17 && f[0] == "ledger" && f[1].StartsWith("node", StringComparison.Ordinal) && f[17] == "UP")
                .Select(f => f[1]).Order().ToList();
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    public HttpClient ClientFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", LedgerApp.Token(user));
        return client;
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
        _process.Dispose();
        File.Delete(_configuration);
        return ValueTask.CompletedTask;
    }
}
