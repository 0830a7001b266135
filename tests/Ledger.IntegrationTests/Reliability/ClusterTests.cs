using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.Webhooks;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// Three API processes on one database behind HAProxy (deploy/haproxy.cfg, as `./ledger run --nodes 3` and compose run
/// them), under a steady load of writes and reads: every node is restarted in turn, then the nodes running the projections
/// and the scheduled jobs are killed. No acknowledged write is lost or doubled, every event is projected once, and the
/// scheduled webhook retries fire and deliver every event after the nodes that held them are gone.
/// </summary>
public sealed class ClusterTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AuditShard = "Ledger.Projections.Auditing.AuditLogProjection:All";
    private const string SchedulingAgent = "wolverinedb://";
    private readonly ScratchDatabase _database = new("cluster");
    private readonly List<ApiProcess> _nodes = [];
    private Balancer? _balancer;
    private WebhookReceiver? _receiver;

    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>A line of the test's report, with the seconds since the test began.</summary>
    private void Say(string line) => output.WriteLine($"[{_clock.Elapsed.TotalSeconds,5:F0} s] {line}");

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        if (_balancer is not null)
            await _balancer.DisposeAsync();
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_receiver is not null)
            await _receiver.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task StartCluster(int count)
    {
        var settings = new Dictionary<string, string>
        {
            ["Webhooks__AllowLoopback"] = "true",
            ["Webhooks__Timeout"] = "00:00:05",
            ["Webhooks__RetryDelays"] = "00:00:01, 00:00:02, 00:00:03, 00:00:05, 00:00:08, 00:00:13, 00:00:21",
        };
        var connection = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { MaxPoolSize = 15 }.ConnectionString;
        for (var i = 0; i < count; i++)
            _nodes.Add(new ApiProcess(connection, settings));
        // The first applies the schema alone (as compose's `migrate` does); the others then start together.
        await _nodes[0].StartAsync(TimeSpan.FromSeconds(90));
        await Task.WhenAll(_nodes.Skip(1).Select(n => n.StartAsync(TimeSpan.FromSeconds(90))));
        _balancer = await Balancer.StartAsync(_nodes);
    }

    private static async Task<(IReadOnlyList<string> Shards, IReadOnlyList<string> Wolverine)> AgentsOn(ApiProcess node)
    {
        try
        {
            using var client = node.ClientFor(TestUser.Admin("ada.cluster"));
            client.Timeout = TimeSpan.FromSeconds(5);
            var data = (await client.GetFromJsonAsync<JsonObject>("/health/ready"))!["checks"]!["async-projections"]!["data"]!;
            return (data["agents"]!.AsArray().Select(a => a!.GetValue<string>()).ToList(),
                data["wolverineAgents"]!.AsArray().Select(a => a!.GetValue<string>()).ToList());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return ([], []);
        }
    }

    /// <summary>The living node that runs the agent (a shard name, or the start of a Wolverine agent's URI), if any does.</summary>
    private static async Task<ApiProcess?> Running(IEnumerable<ApiProcess> nodes, string agent)
    {
        foreach (var node in nodes)
        {
            var (shards, wolverine) = await AgentsOn(node);
            if (shards.Contains(agent) || wolverine.Any(a => a.StartsWith(agent, StringComparison.Ordinal)))
                return node;
        }
        return null;
    }

    /// <summary>The store's last sequence and the audit log's progress.</summary>
    private async Task<(long Written, long Projected)> ProgressAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select (select coalesce(max(seq_id), 0) from ledger.mt_events), " +
            $"(select coalesce(max(last_seq_id), 0) from ledger.mt_event_progression where name = '{AuditShard}')", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Writers posting charges through the balancer, each with an Idempotency-Key, as a careful client does; one more
    /// opening an account every few hundred milliseconds (the events the webhook carries); a reader. With
    /// <paramref name="clientRetries"/> a writer sends a failed request again with the same key (what a client does when
    /// its node dies under it); without, every failure counts.
    /// </summary>
    private sealed class Load(Balancer balancer, string phase, IReadOnlyList<Guid> accounts, int writers, bool clientRetries)
    {
        private readonly CancellationTokenSource _stop = new();
        public ConcurrentDictionary<string, Guid> Acknowledged { get; } = new();
        public ConcurrentDictionary<string, Guid> Opened { get; } = new();
        public ConcurrentQueue<string> Failures { get; } = new();
        public ConcurrentBag<string> Sent { get; } = [];
        public int Reads;
        private Task? _running;

        public void Start() => _running = Task.WhenAll(Enumerable.Range(0, writers).Select(Writer).Append(Opener()).Append(Reader()));

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await _running!;
        }

        private async Task Writer(int writer)
        {
            using var desk = balancer.ClientFor(TestUser.Csr($"csr.cluster{writer}"));
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var key = $"{phase}-charge-{writer}-{n}";
                Sent.Add(key);
                var accountId = accounts[(writer + n) % accounts.Count];
                if (await Send(desk, () => Request($"/api/accounts/{accountId}/charges", key, new { amount = 1.10m, description = key, category = "usage" }), key) is { } id)
                    Acknowledged[key] = id;
                await Task.Delay(10);
            }
        }

        private async Task Opener()
        {
            using var desk = balancer.ClientFor(TestUser.Csr("csr.cluster-opener"));
            for (var n = 0; !_stop.IsCancellationRequested; n++)
            {
                var key = $"{phase}-open-{n}";
                if (await Send(desk, () => Request("/api/accounts", key, new
                    {
                        customerId = $"cust-{key}", holderName = "Jane Holder", currency = "USD", billingDay = 5,
                        address = new { line1 = "1 Main St", city = "Springfield", postalCode = "12345", country = "US" },
                    }), key) is { } id)
                    Opened[key] = id;
                await Task.Delay(250);
            }
        }

        private static HttpRequestMessage Request(string path, string key, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }

        /// <summary>The created resource's id once the ledger acknowledged the request (after the client's own retries, if any).</summary>
        private async Task<Guid?> Send(HttpClient desk, Func<HttpRequestMessage> request, string key)
        {
            for (var attempt = 0; ; attempt++)
            {
                string failure;
                try
                {
                    using var answer = await desk.SendAsync(request());
                    var body = await answer.Content.ReadAsStringAsync();
                    if (answer.IsSuccessStatusCode)
                        return JsonNode.Parse(body)!["id"]!.GetValue<Guid>();
                    failure = $"{(int)answer.StatusCode} {body[..Math.Min(body.Length, 300)]}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failure = e.Message;
                }
                Failures.Enqueue($"{key} attempt {attempt}: {failure}");
                if (!clientRetries || attempt == 20)
                    return null;
                await Task.Delay(250);
            }
        }

        private async Task Reader()
        {
            using var desk = balancer.ClientFor(TestUser.Csr("csr.cluster-reader"));
            while (!_stop.IsCancellationRequested)
            {
                foreach (var accountId in accounts)
                {
                    try
                    {
                        using var answer = await desk.GetAsync($"/api/accounts/{accountId}");
                        if (!answer.IsSuccessStatusCode)
                            Failures.Enqueue($"read {accountId}: {(int)answer.StatusCode}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Failures.Enqueue($"read {accountId}: {e.Message}");
                    }
                    Interlocked.Increment(ref Reads);
                }
                await Task.Delay(10);
            }
        }
    }

    private async Task<List<Guid>> OpenAccounts(int count)
    {
        using var desk = _balancer!.ClientFor(TestUser.Csr("csr.cluster"));
        var accounts = new List<Guid>();
        for (var i = 0; i < count; i++)
            accounts.Add(await desk.OpenAccount($"cust-cluster-{i}"));
        return accounts;
    }

    /// <summary>Every acknowledged charge is in the store once, and nothing else was charged.</summary>
    private async Task NoAcknowledgedWriteLostOrDoubled(IReadOnlyCollection<Guid> acknowledged)
    {
        var charged = (await EventStore.Count(_database.ConnectionString,
            "select count(*) from ledger.mt_events where type = 'charge_posted'"));
        var ids = new HashSet<Guid>();
        await using (var connection = new NpgsqlConnection(_database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select (data->>'entryId')::uuid from ledger.mt_events where type = 'charge_posted'", connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                ids.Add(reader.GetGuid(0));
        }
        acknowledged.Except(ids).Should().BeEmpty("no acknowledged write is lost");
        charged.Should().Be(acknowledged.Count, "no request sent again (by the balancer or the client) posted twice");
    }

    private async Task EveryEventProjectedOnce()
    {
        var since = Stopwatch.StartNew();
        var progress = await Poll.Until(ProgressAsync, p => p.Projected == p.Written, TimeSpan.FromSeconds(90));
        var events = await EventStore.Count(_database.ConnectionString, "select count(*) from ledger.mt_events");
        Say($"the audit log caught up {since.Elapsed.TotalSeconds:F1} s after the load stopped: {events} events, " +
            $"{progress.Written - events} sequence numbers unused by rolled-back appends (gaps the daemon waits at before skipping)");
        progress.Projected.Should().Be(progress.Written, "the audit log catches up with the store");
        var sequences = $"(select (data->>'sequence')::bigint as seq from ledger.mt_doc_auditentry)";
        (await EventStore.Count(_database.ConnectionString,
                $"select count(*) from ledger.mt_events e left join (select distinct seq from {sequences} s) a on a.seq = e.seq_id where a.seq is null"))
            .Should().Be(0, "no event is skipped by the audit log");
        (await EventStore.Count(_database.ConnectionString, $"select count(*) - count(distinct seq) from {sequences} s"))
            .Should().Be(0, "no event is in the audit log twice");
        (await EventStore.Count(_database.ConnectionString, "select count(*) from ledger.mt_doc_auditentry")).Should().Be(events);
    }

    /// <summary>One cluster for both (starting three nodes is the slow part): a rolling restart, then two crashes.</summary>
    [Fact]
    public async Task A_rolling_restart_fails_no_request_and_when_the_nodes_running_projections_and_scheduled_jobs_are_killed_the_last_takes_over_and_nothing_is_lost_or_doubled()
    {
        _receiver = await WebhookReceiver.StartAsync();
        await StartCluster(3);
        using (var admin = _balancer!.ClientFor(TestUser.Admin("ada.cluster")))
            await admin.Subscribe(_receiver.Url(), "account_opened");
        var accounts = await OpenAccounts(4);
        Say("three nodes up behind the balancer");
        await TheClusterViewShowsEveryNode();

        // A rolling restart (SIGTERM, start, back in the balancer; node after node) under load: no request fails, and
        // the writers do not send anything twice themselves.
        var load = new Load(_balancer, "roll", accounts, writers: 4, clientRetries: false);
        load.Start();
        await Task.Delay(TimeSpan.FromSeconds(1));
        var restart = Stopwatch.StartNew();
        for (var i = 0; i < _nodes.Count; i++)
        {
            await _nodes[i].StopAsync(TimeSpan.FromSeconds(60));
            await _nodes[i].StartAsync(TimeSpan.FromSeconds(90));
            var up = await Poll.Until(_balancer.NodesUp, n => n.Count == _nodes.Count, TimeSpan.FromSeconds(30));
            up.Should().HaveCount(_nodes.Count, $"node{i + 1} is back in the balancer");
            Say($"node{i + 1} restarted and back in the balancer at {restart.Elapsed.TotalSeconds:F1} s");
        }
        await load.StopAsync();
        Say($"rolling restart: {load.Acknowledged.Count} charges and {load.Reads} reads; failures:\n  " + string.Join("\n  ", load.Failures));
        load.Failures.Should().BeEmpty("the balancer sends a request a stopping node cannot take to another node");
        load.Sent.Except(load.Acknowledged.Keys).Should().BeEmpty("every charge sent was acknowledged");

        // Two crashes under load: the node running the projections, then the one running the scheduled jobs.
        _receiver.Answer = WebhookReceiver.Behaviour.Fail; // deliveries from now on wait for scheduled retries
        var crashLoad = new Load(_balancer, "crash", accounts, writers: 6, clientRetries: true);
        crashLoad.Start();
        var before = _receiver.Requests.Count;
        Say($"{before} webhooks delivered so far; the receiver now refuses them");
        (await Poll.UntilCollected(() => _receiver.Requests.Count(r => !r.Accepted), n => n > 0)).Should().BeGreaterThan(0,
            "deliveries are tried and refused, so their retries are scheduled");
        Say("a delivery was refused");
        var living = _nodes.ToList();
        var projecting = await Poll.Until(() => Running(living, AuditShard), n => n is not null);
        projecting.Should().NotBeNull();
        var scheduling = await Poll.Until(() => Running(living, SchedulingAgent), n => n is not null);
        scheduling.Should().NotBeNull("one node runs Wolverine's durability agent (scheduled messages)");
        Say($"node{_nodes.IndexOf(projecting!) + 1} runs the projections, node{_nodes.IndexOf(scheduling!) + 1} the scheduled jobs");

        projecting!.Kill();
        living.Remove(projecting);
        await TakenOver(living, "first SIGKILL");
        scheduling = await Running(living, SchedulingAgent);
        _receiver.Answer = WebhookReceiver.Behaviour.Accept; // from now on, what the scheduled retries deliver is taken
        scheduling!.Kill();
        living.Remove(scheduling);
        await TakenOver(living, "second SIGKILL");

        await Task.Delay(TimeSpan.FromSeconds(2));
        await crashLoad.StopAsync();
        Say($"crashes: {crashLoad.Acknowledged.Count} charges acknowledged, {crashLoad.Reads} reads; {crashLoad.Failures.Count} failed attempts " +
                         "a client sent again:\n  " + string.Join("\n  ", crashLoad.Failures.Take(20)));
        crashLoad.Sent.Except(crashLoad.Acknowledged.Keys).Should().BeEmpty("every charge sent was in the end acknowledged");

        crashLoad.Opened.Should().NotBeEmpty();
        var acknowledged = load.Acknowledged.Values.Concat(crashLoad.Acknowledged.Values).ToList();
        await NoAcknowledgedWriteLostOrDoubled(acknowledged);
        await EveryEventProjectedOnce();
        Say("every event projected once");

        // Every account opened went out as a webhook, the later ones after retries scheduled on the dead nodes fired on the last.
        var opened = accounts.Concat(load.Opened.Values).Concat(crashLoad.Opened.Values).ToHashSet();
        var accepted = await Poll.UntilCollected(() => _receiver.Accepted, a => a.Select(r => r.AccountId).Distinct().Count() >= opened.Count,
            TimeSpan.FromSeconds(90));
        var delivered = accepted.Select(r => r.Id).Distinct().Count();
        Say($"webhooks: {_receiver.Requests.Count} attempts, {accepted.Count} accepted, {delivered} distinct " +
                         $"({accepted.Count - delivered} redelivered under the same webhook-id)");
        opened.Except(accepted.Select(r => r.AccountId)).Should().BeEmpty("each account opened is delivered");
        delivered.Should().Be(opened.Count, "one webhook per event");
    }

    /// <summary>The admins' view: every node once, one leader, one node with the scheduled jobs, the projections' locks on the
    /// node that runs them, and the pools within the server's connections.</summary>
    private async Task TheClusterViewShowsEveryNode()
    {
        using var admin = _balancer!.ClientFor(TestUser.Admin("ada.cluster"));
        var view = await Poll.Until(async () => (await admin.GetFromJsonAsync<JsonObject>("/api/operations/cluster"))!,
            v => v["nodes"]!.AsArray().Count == 3 && v["nodes"]!.AsArray().Count(n => n!["leader"]!.GetValue<bool>()) == 1);
        Say($"cluster view: {view.ToJsonString()}");
        var nodes = view["nodes"]!.AsArray().Select(n => n!.AsObject()).ToList();
        nodes.Should().HaveCount(3);
        nodes.Count(n => n["leader"]!.GetValue<bool>()).Should().Be(1);
        nodes.Count(n => n["agents"]!.AsArray().Any(a => a!.GetValue<string>().StartsWith(SchedulingAgent, StringComparison.Ordinal)))
            .Should().Be(1, "one node runs the scheduled messages");
        nodes.Should().OnlyContain(n => n["connections"]!.GetValue<int>() > 0, "each node's sessions are named after it");
        nodes.Count(n => n["locks"]!.AsArray().Count > 0).Should().Be(1, "the projections' advisory locks are all held by the HotCold leader");
        view["connections"]!["fits"]!.GetValue<bool>().Should().BeTrue();
        view["connections"]!["nodes"]!.GetValue<int>().Should().Be(3);

        using var desk = _balancer.ClientFor(TestUser.Csr("csr.cluster"));
        (await desk.GetAsync("/api/operations/cluster")).StatusCode.Should().Be(System.Net.HttpStatusCode.Forbidden);
    }

    /// <summary>Waits until the living nodes run the projections and the scheduled jobs again; says how long each took.</summary>
    private async Task TakenOver(IReadOnlyList<ApiProcess> living, string after)
    {
        var since = Stopwatch.StartNew();
        var taken = await Task.WhenAll(new[] { AuditShard, SchedulingAgent }.Select(async agent =>
        {
            var node = await Poll.Until(() => Running(living, agent), n => n is not null, TimeSpan.FromSeconds(90));
            return (Agent: agent, Node: node, Seconds: since.Elapsed.TotalSeconds);
        }));
        foreach (var (agent, node, seconds) in taken)
        {
            node.Should().NotBeNull($"a living node takes {agent} over");
            Say($"{(agent == AuditShard ? "projections" : "scheduled jobs")} running on node{_nodes.IndexOf(node!) + 1} {seconds:F1} s after the {after}");
        }
    }
}
