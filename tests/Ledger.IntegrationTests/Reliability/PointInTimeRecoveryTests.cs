using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;
using static Ledger.IntegrationTests.Harness.ScratchClusters;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// Backup and point-in-time recovery with PostgreSQL's own tools, performed: a cluster of its own with WAL archiving, a
/// base backup (pg_basebackup) taken while the ledger serves, writes before and after a chosen moment, then a new
/// cluster restored from the backup and the archive to that moment. The restored ledger has exactly what was committed
/// by then, and its hash chains verify (`verify-ledger`). Run as root or as the postgres user, as `./ledger test` is
/// (docs/operations.md, "Backup and point-in-time recovery").
/// </summary>
public sealed class PointInTimeRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _name = $"pitr{Guid.NewGuid():N}"[..12];
    private readonly string _work = Directory.CreateTempSubdirectory("ledger-pitr-").FullName;
    private readonly ScratchClusters _clusters = new();

    private string Archive => Path.Combine(_work, "archive");
    private string Backup => Path.Combine(_work, "base");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Archive);
        // The server runs as postgres: the archive and the backup are its (pg_basebackup creates the backup folder).
        if (Environment.UserName != "postgres")
            await AsRoot("chown", "-R", "postgres:postgres", _work);
    }

    public async Task DisposeAsync()
    {
        await _clusters.DisposeAsync();
        if (Directory.Exists(_work))
            Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task A_base_backup_and_the_WAL_archive_restore_the_ledger_as_it_stood_at_a_chosen_moment()
    {
        var port = await _clusters.CreateAsync(_name, new Dictionary<string, string>
        {
            ["wal_level"] = "replica",
            ["archive_mode"] = "on",
            ["archive_command"] = $"test ! -f {Archive}/%f && cp %p {Archive}/%f",
        });
        await Start(_name);
        await CreateLedgerDatabase(port);

        Guid before, after;
        DateTime moment;
        await using (var api = new ApiProcess(ConnectionString(port)))
        {
            await api.StartAsync(TimeSpan.FromSeconds(90));
            // The base backup, taken while the service runs (its WAL streamed alongside, so the copy is consistent).
            await AsPostgres($"{Bin}/pg_basebackup", "-p", Text(port), "-D", Backup,
                "-X", "stream", "--checkpoint=fast");
            using var desk = api.ClientFor(TestUser.Csr("csr.pitr"));
            before = await desk.OpenAccount("cust-pitr-before");
            for (var i = 0; i < 5; i++)
                await desk.Post(before, "charges", new { amount = 10m, description = $"Before {i}", category = "usage" });
            moment = await Scalar<DateTime>(port, "select clock_timestamp()");
            await Task.Delay(1_100);
            for (var i = 0; i < 3; i++)
                await desk.Post(before, "charges", new { amount = 99m, description = $"After {i}", category = "usage" });
            after = await desk.OpenAccount("cust-pitr-after");
        }
        // Close the WAL segment holding the last writes, so that it is archived.
        var segment = (await Psql(port, "select pg_walfile_name(pg_switch_wal())")).Trim();
        await Poll.Until(() => Task.FromResult(File.Exists(Path.Combine(Archive, segment))), archived => archived, TimeSpan.FromSeconds(30));
        File.Exists(Path.Combine(Archive, segment)).Should().BeTrue("the archiver copies every finished WAL segment");
        await Stop(_name);

        // Restore: a new cluster whose data directory is the base backup, replaying the archive up to the moment.
        var restored = $"{_name}r";
        var restoredPort = await _clusters.CreateAsync(restored, new Dictionary<string, string>
        {
            ["restore_command"] = $"cp {Archive}/%f %p",
            ["recovery_target_time"] = moment.ToString("yyyy-MM-dd HH:mm:ss.ffffff+00", System.Globalization.CultureInfo.InvariantCulture),
            ["recovery_target_action"] = "promote",
        });
        var data = DataDirectory(restored);
        await AsPostgres("rm", "-rf", data);
        await AsPostgres("cp", "-a", Backup, data);
        await AsPostgres("touch", Path.Combine(data, "recovery.signal"));
        await Start(restored);
        var promoted = await Poll.Until(async () =>
        {
            try { return !await Scalar<bool>(restoredPort, "select pg_is_in_recovery()"); }
            catch (NpgsqlException) { return false; }
        }, done => done, TimeSpan.FromSeconds(60));
        promoted.Should().BeTrue("the restored cluster reached the moment and was promoted");
        output.WriteLine($"restored to {moment:O} from the base backup and {Directory.GetFiles(Archive).Length} archived WAL files");

        var charges = await Scalar<long>(restoredPort,
            $"select count(*) from ledger.mt_events where stream_id = '{before}' and type = 'charge_posted'");
        charges.Should().Be(5, "what was committed by the moment is there, and nothing after it");
        (await Scalar<long>(restoredPort, $"select count(*) from ledger.mt_streams where id = '{after}'")).Should().Be(0);
        var (exitCode, verified) = await ApiProcess.RunCommandAsync(ConnectionString(restoredPort), "verify-ledger");
        exitCode.Should().Be(0, $"the restored ledger's hash chains verify:\n{verified}");
    }
}
