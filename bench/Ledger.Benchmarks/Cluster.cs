using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Ledger.Benchmarks;

/// <summary>
/// The same charge posted through HAProxy (deploy/haproxy.cfg, as `./ledger run --nodes N` runs it) in front of 1, 2 and 3
/// API processes on one database. On this 2-core machine more nodes cannot add CPU: what the figures show is what
/// clustering costs (the API's CPU per charge, summed over the nodes, and the balancer's), not a speed-up. Then, with
/// three nodes, how long the projections take to move when the node running them is SIGKILLed.
/// </summary>
public static class Cluster
{
    private const string AuditShard = "Ledger.Projections.Auditing.AuditLogProjection:All";

    public static async Task<List<Measurement>> Run(string connectionString, int clients, TimeSpan duration, bool failover)
    {
        var results = new List<Measurement>();
        foreach (var count in new[] { 1, 2, 3 })
        {
            var nodes = new List<LedgerProcess>();
            Process? balancer = null;
            try
            {
                nodes.Add(LedgerProcess.Serve(connectionString));
                await nodes[0].WaitReady(); // the first alone: it checks the schema
                nodes.AddRange(Enumerable.Range(1, count - 1).Select(_ => LedgerProcess.Serve(connectionString)));
                await Task.WhenAll(nodes.Select(n => n.WaitReady()));
                var (address, process) = await StartBalancer(nodes);
                balancer = process;
                using var csr = LedgerProcess.ClientOf(address, "bench.cluster", "csr");
                var accounts = await BenchAccounts.Open(csr, 1000); // many accounts, as real traffic has: few of two nodes' writes meet on one stream
                var random = new Random(count);
                async Task<bool> Charge(int client, long i)
                {
                    Guid account;
                    lock (random) account = accounts[random.Next(accounts.Count)];
                    return (await csr.PostAsJsonAsync($"/api/accounts/{account}/charges", HttpScenarios.ChargeBody)).StatusCode == HttpStatusCode.Created;
                }

                await Measurement.RunAsync("warm-up", clients, TimeSpan.FromSeconds(Math.Min(10, duration.TotalSeconds)), Charge);
                await Baselines.ProjectionsCaughtUp(connectionString);
                var measured = await HttpScenarios.Measure($"cluster-{count}-node{(count == 1 ? "" : "s")}", clients, duration, Charge);
                results.Add(measured with
                {
                    Note = $"post-charge through HAProxy to {count} node(s); API CPU is the sum over the nodes, HAProxy's is in other",
                });
                if (failover && count == 3)
                    results.Add(await Failover(nodes, clients));
            }
            finally
            {
                if (balancer is { HasExited: false })
                    balancer.Kill();
                balancer?.Dispose();
                foreach (var node in nodes)
                    node.Dispose();
            }
        }
        return results;
    }

    /// <summary>SIGKILLs the node running the audit log and times until another runs it (HotCold; docs/operations.md).</summary>
    private static async Task<Measurement> Failover(List<LedgerProcess> nodes, int clients)
    {
        var leader = (await Task.WhenAll(nodes.Select(async n => (Node: n, Agents: await Agents(n))))).First(n => n.Agents.Contains(AuditShard)).Node;
        var survivors = nodes.Where(n => n != leader).ToList();
        leader.Dispose();
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(90))
        {
            if ((await Task.WhenAll(survivors.Select(Agents))).Any(a => a.Contains(AuditShard)))
                break;
            await Task.Delay(100);
        }
        var elapsed = watch.Elapsed;
        AnsiConsole.MarkupLine($"cluster-failover: the projections ran again on a survivor [green]{elapsed.TotalSeconds:F1} s[/] after the SIGKILL");
        return Measurement.Job("cluster-failover", clients, 1, elapsed, elapsed >= TimeSpan.FromSeconds(90) ? 1 : 0,
            "seconds from SIGKILLing the node running the projections (of 3) until a survivor runs them");
    }

    private static async Task<List<string>> Agents(LedgerProcess node)
    {
        try
        {
            using var admin = node.Client("bench.cluster.admin", "admin", TimeSpan.FromSeconds(5));
            var report = await admin.GetFromJsonAsync<JsonObject>("/health/ready");
            return report!["checks"]!["async-projections"]!["data"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    private static async Task<(Uri Address, Process Process)> StartBalancer(IReadOnlyList<LedgerProcess> nodes)
    {
        var configuration = Path.Combine(Path.GetTempPath(), $"ledger-bench-haproxy-{Environment.ProcessId}.cfg");
        await File.WriteAllTextAsync(configuration, await File.ReadAllTextAsync(Path.Combine(Paths.Root(), "deploy", "haproxy.cfg")) +
            string.Join('\n', nodes.Select((n, i) => $"    server node{i + 1} {n.BaseAddress.Authority} check")) + '\n');
        var (port, stats) = (FreePort(), FreePort());
        var executable = new[] { "/usr/sbin/haproxy", "/usr/local/sbin/haproxy" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("HAProxy is not installed (apt-get install haproxy; `./ledger run --nodes N` installs it).");
        var start = new ProcessStartInfo(executable, ["-db", "-f", configuration]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["LEDGER_BALANCER_BIND"] = $"127.0.0.1:{port}";
        start.Environment["LEDGER_BALANCER_STATS"] = $"127.0.0.1:{stats}";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            try
            {
                var csv = await http.GetStringAsync($"http://127.0.0.1:{stats}/;csv");
                if (csv.Split('\n').Count(l => l.Split(',') is { Length: > 17 } f && f[0] == "ledger" && f[1].StartsWith("node") && f[17] == "UP") == nodes.Count)
                    return (new Uri($"http://127.0.0.1:{port}"), process);
            }
            catch (HttpRequestException) { }
        }
        process.Kill();
        throw new TimeoutException("HAProxy did not see every node up within 30 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
