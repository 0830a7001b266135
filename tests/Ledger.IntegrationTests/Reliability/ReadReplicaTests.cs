using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;
using static Ledger.IntegrationTests.Harness.ScratchClusters;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// A read replica, performed with PostgreSQL's own streaming replication: a primary cluster of its own, a hot standby made
/// from it with <c>pg_basebackup -R</c>, and the service pointed at both (<c>Ledger:Database:ReadReplica</c>). With the
/// standby's replay paused, the writes after the pause are on the primary only, which shows who answered: the per-user audit
/// log (lagging by design) comes from the standby, an account as it stood long enough ago comes from the standby too, and
/// an account as it stands now comes from the primary, fresh. Run as root or as the postgres user, as `./ledger test` is
/// (docs/capacity.md, "Read replicas").
/// </summary>
public sealed class ReadReplicaTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Csr = "csr.replica";
    private readonly string _name = $"repl{Guid.NewGuid():N}"[..12];
    private readonly ScratchClusters _clusters = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _clusters.DisposeAsync().AsTask();

    [Fact]
    public async Task The_replica_serves_what_may_lag_and_the_settled_past_and_the_primary_serves_the_present()
    {
        var primary = await _clusters.CreateAsync(_name);
        await Start(_name);
        await CreateLedgerDatabase(primary);

        // The standby: the primary's base backup, with its connection to the primary and standby.signal written by -R.
        var standbyName = $"{_name}s";
        var standby = await _clusters.CreateAsync(standbyName);
        var data = DataDirectory(standbyName);
        await AsPostgres("rm", "-rf", data);
        await AsPostgres($"{Bin}/pg_basebackup", "-p", Text(primary), "-D", data, "-R", "-X", "stream", "--checkpoint=fast");
        await Start(standbyName);
        (await Poll.Until(async () =>
        {
            try { return await Scalar<bool>(standby, "select pg_is_in_recovery()"); }
            catch (NpgsqlException) { return false; }
        }, up => up, TimeSpan.FromSeconds(60))).Should().BeTrue("the standby is up and replaying");

        await using var api = new ApiProcess(ConnectionString(primary), new Dictionary<string, string>
        {
            ["Ledger__Database__ReadReplica"] = ConnectionString(standby),
            ["Ledger__Database__ReadReplicaMargin"] = "00:00:01",
            ["Ledger__Database__ReadReplicaMaxLag"] = "00:00:20",
        });
        await api.StartAsync(TimeSpan.FromSeconds(90));
        try
        {
            using var desk = api.ClientFor(TestUser.Csr(Csr));
            using var auditor = api.ClientFor(TestUser.Auditor());

            var account = await desk.OpenAccount("cust-replica");
            for (var i = 0; i < 3; i++)
                await desk.Post(account, "charges", new { amount = 10m, description = $"Before {i}", category = "usage" });
            var auditedBefore = await AuditCaughtUp(primary, account);
            var settled = await Scalar<DateTime>(primary, "select clock_timestamp()");
            await Task.Delay(1_500);
            // A commit after the moment plus the margin, replayed: the standby now certainly holds everything up to the moment.
            using (var colleague = api.ClientFor(TestUser.Csr("csr.replica.colleague")))
                await colleague.OpenAccount("cust-replica-later");
            await ReplayedUpToNow(primary, standby);

            await Psql(standby, "select pg_wal_replay_pause()");
            for (var i = 0; i < 2; i++)
                await desk.Post(account, "charges", new { amount = 99m, description = $"After {i}", category = "usage" });
            var auditedAfter = await AuditCaughtUp(primary, account);
            auditedAfter.Should().Be(auditedBefore + 2);

            // The present: only the primary has it, and it answers without touching the standby.
            var now = await Balance(auditor, account, DateTimeOffset.UtcNow);
            now.Should().Be(228m, "an as-of read at a moment the standby has not replayed comes from the primary");
            (await ReplicaReaders(standby)).Should().Be(0, "nothing was read from the standby yet");

            // The settled past: the standby answers, the same as the primary would.
            var then = await Balance(auditor, account, new DateTimeOffset(settled, TimeSpan.Zero));
            then.Should().Be(30m);
            output.WriteLine($"moment {settled:O}; the standby replayed to {await Scalar<DateTime>(standby, "select pg_last_xact_replay_timestamp()"):O}");
            (await ReplicaReaders(standby)).Should().BeGreaterThan(0, "the account as it stood before the standby's replay point was read there");

            // The audit log: from the standby, behind the primary while its replay is paused.
            (await AuditTotal(auditor)).Should().Be(auditedBefore, "the standby has not replayed the last two charges");

            await Psql(standby, "select pg_wal_replay_resume()");
            (await Poll.Until(() => AuditTotal(auditor), total => total == auditedAfter, TimeSpan.FromSeconds(30)))
                .Should().Be(auditedAfter, "once replay resumes the standby catches up");

            // A standby left behind longer than the maximum lag is not read at all: the audit log comes from the primary.
            await ReplayedUpToNow(primary, standby);
            await Psql(standby, "select pg_wal_replay_pause()");
            await desk.Post(account, "charges", new { amount = 1m, description = "While far behind", category = "usage" });
            var auditedLatest = await AuditCaughtUp(primary, account);
            (await AuditTotal(auditor)).Should().Be(auditedAfter, "within the maximum lag the paused standby still answers");
            var replayed = new DateTimeOffset(await Scalar<DateTime>(standby, "select pg_last_xact_replay_timestamp()"), TimeSpan.Zero);
            var behind = replayed + TimeSpan.FromSeconds(21) - DateTimeOffset.UtcNow;
            if (behind > TimeSpan.Zero)
                await Task.Delay(behind);
            (await AuditTotal(auditor)).Should().Be(auditedLatest, "a standby more than 20 s behind is passed over for the primary");
            await Psql(standby, "select pg_wal_replay_resume()");

            // The standby gone: every read falls back to the primary, none fails, even one made while the service still
            // believes the standby up (its replay position is asked at most once a second, and was just asked here).
            await ReplayedUpToNow(primary, standby);
            (await AuditTotal(auditor)).Should().Be(auditedLatest);
            await Stop(standbyName, "immediate");
            (await AuditTotal(auditor)).Should().Be(auditedLatest);
            (await Balance(auditor, account, new DateTimeOffset(settled, TimeSpan.Zero))).Should().Be(30m);
            await desk.Post(account, "charges", new { amount = 1m, description = "Standby down", category = "usage" });
            (await Balance(auditor, account, DateTimeOffset.UtcNow)).Should().Be(230m);
            foreach (var line in api.Output.Split('\n').Where(l => l.Contains("Read replica", StringComparison.Ordinal)))
                output.WriteLine(line.Trim());
            output.WriteLine($"audit entries by {Csr}: {auditedBefore} on the paused standby, {auditedAfter} on the primary");
        }
        catch
        {
            output.WriteLine(api.Output);
            throw;
        }
    }

    private static async Task<decimal> Balance(HttpClient client, Guid account, DateTimeOffset asOf)
    {
        var response = await client.GetAsync($"/api/accounts/{account}?asOf={Uri.EscapeDataString(asOf.ToString("O", CultureInfo.InvariantCulture))}");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetDecimal();
    }

    private static async Task<long> AuditTotal(HttpClient auditor)
    {
        var response = await auditor.GetAsync($"/api/audit?actor={Csr}");
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetInt64();
    }

    /// <summary>Waits for the primary's audit log (an async projection) to hold every event of the account, and counts them.</summary>
    private static async Task<long> AuditCaughtUp(int primary, Guid account)
    {
        var events = await Scalar<long>(primary, $"select count(*) from ledger.mt_events where stream_id = '{account}'");
        var audited = await Poll.Until(
            () => Scalar<long>(primary, $"select count(*) from ledger.mt_doc_auditentry where data ->> 'streamId' = '{account}'"),
            count => count == events, TimeSpan.FromSeconds(30));
        audited.Should().Be(events, "the audit log catches up with the account's events");
        return await Scalar<long>(primary, $"select count(*) from ledger.mt_doc_auditentry where data ->> 'actor' = '{Csr}'");
    }

    private static async Task ReplayedUpToNow(int primary, int standby)
    {
        var lsn = await Scalar<string>(primary, "select pg_current_wal_lsn()::text");
        (await Poll.Until(() => Scalar<bool>(standby, $"select pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn"), done => done, TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the standby replays what the primary wrote");
    }

    private static Task<long> ReplicaReaders(int standby) => Scalar<long>(standby,
        "select count(*) from pg_stat_activity where application_name = 'ledger replica reads'");
}
