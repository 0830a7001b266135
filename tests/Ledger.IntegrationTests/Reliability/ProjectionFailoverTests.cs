using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// Two API processes on one database: every projection and subscription runs on exactly one of them (Marten's HotCold
/// daemon, each holding a PostgreSQL advisory lock), both take writes, and when the node running them is killed
/// (SIGKILL) the other takes them over and projects everything written meanwhile, once. An Idempotency-Key retried on the
/// other node gets the first node's answer.
/// </summary>
public sealed class ProjectionFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AuditShard = "Ledger.Projections.Auditing.AuditLogProjection:All";
    private readonly ScratchDatabase _database = new("failover");

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    private static async Task<IReadOnlyList<string>> AgentsOn(ApiProcess node)
    {
        using var admin = node.ClientFor(TestUser.Admin("ada.failover"));
        var report = await admin.GetFromJsonAsync<JsonObject>("/health/ready");
        return report!["checks"]!["async-projections"]!["data"]!["agents"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
    }

    private async Task<(long Written, long Projected, long Audited)> ProgressAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (select coalesce(max(seq_id), 0) from ledger.mt_events), " +
            $"(select coalesce(max(last_seq_id), 0) from ledger.mt_event_progression where name = '{AuditShard}'), " +
            "(select count(*) from ledger.mt_doc_auditentry)", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static async Task PostCharges(ApiProcess node, Guid accountId, int count)
    {
        using var desk = node.ClientFor(TestUser.Csr("cas.failover"));
        for (var i = 0; i < count; i++)
            (await desk.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 1.25m, description = $"Usage {i}", category = "usage" }))
                .EnsureSuccessStatusCode();
    }

    /// <summary>Both ways of distributing projections are measured here, in every run; docs/operations.md says why HotCold is the default.</summary>
    [Theory]
    [InlineData("HotCold")]
    [InlineData("Wolverine")]
    public async Task Each_projection_runs_on_one_node_and_when_that_node_is_killed_the_other_takes_over_and_projects_everything_once(string distribution)
    {
        var settings = new Dictionary<string, string> { ["Ledger__Projections__Distribution"] = distribution };
        await using var first = new ApiProcess(_database.ConnectionString, settings);
        await first.StartAsync(TimeSpan.FromSeconds(90));
        await using var second = new ApiProcess(_database.ConnectionString, settings);
        await second.StartAsync(TimeSpan.FromSeconds(90));

        // Every agent on exactly one node.
        var (onFirst, onSecond) = await Poll.Until(async () => (await AgentsOn(first), await AgentsOn(second)),
            agents => agents.Item1.Concat(agents.Item2).Contains(AuditShard));
        onFirst.Intersect(onSecond).Should().BeEmpty("a projection runs on one node at a time");
        onFirst.Concat(onSecond).Should().Contain(AuditShard);
        var (leader, follower) = onFirst.Contains(AuditShard) ? (first, second) : (second, first);
        output.WriteLine($"agents on the leader: {string.Join(", ", onFirst.Contains(AuditShard) ? onFirst : onSecond)}");

        // Both nodes take writes.
        using var desk = follower.ClientFor(TestUser.Csr("cas.failover"));
        var accountId = await desk.OpenAccount("cust-failover");
        await PostCharges(leader, accountId, 5);
        await PostCharges(follower, accountId, 5);

        // A retry that lands on the other node is answered from the first answer: the key is in PostgreSQL, not in a node.
        var retried = await Task.WhenAll(new[] { leader, follower }.Select(async node =>
        {
            using var client = node.ClientFor(TestUser.Csr("cas.failover"));
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/charges")
            {
                Content = JsonContent.Create(new { amount = 9.99m, description = "Retried", category = "usage" }),
            };
            request.Headers.Add("Idempotency-Key", "failover-retry-1");
            var answer = await client.SendAsync(request);
            answer.EnsureSuccessStatusCode();
            return (await answer.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }));
        retried.Distinct().Should().ContainSingle("both nodes give the one charge's answer");
        var before = await Poll.Until(ProgressAsync, p => p.Projected == p.Written);
        before.Projected.Should().Be(before.Written, "the leader projects what both nodes write");

        leader.Kill();
        var killed = Stopwatch.StartNew();
        await PostCharges(follower, accountId, 20);

        var agents = await Poll.Until(() => AgentsOn(follower), a => a.Contains(AuditShard), TimeSpan.FromSeconds(90));
        var takenOver = killed.Elapsed;
        agents.Should().Contain(AuditShard, "the surviving node takes the dead node's projections over");
        var after = await Poll.Until(ProgressAsync, p => p.Projected == p.Written, TimeSpan.FromSeconds(90));
        var caughtUp = killed.Elapsed;
        output.WriteLine($"{distribution} failover: agents restarted on the survivor {takenOver.TotalSeconds:F1} s after the SIGKILL, " +
                         $"caught up with {after.Written - before.Written} events written meanwhile {caughtUp.TotalSeconds:F1} s after it");
        after.Projected.Should().Be(after.Written);
        after.Audited.Should().Be(await EventStore.Count(_database.ConnectionString, "select count(*) from ledger.mt_events"),
            "every event in the audit log exactly once, none lost and none doubled across the failover");
    }

}
