using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>Anchoring as the real process does it: at start-up, on its own schedule, and never from a one-off command.</summary>
public sealed class AnchoringProcessTests
{
    [Fact]
    public async Task The_service_takes_anchors_on_its_interval_but_a_one_off_command_takes_none()
    {
        var database = new ScratchDatabase("anchoring");
        await database.InitializeAsync();
        using var anchors = new AnchorFiles();
        try
        {
            await IntervalAndOneOff(database, anchors);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    private static async Task IntervalAndOneOff(ScratchDatabase database, AnchorFiles anchors)
    {
        var settings = new Dictionary<string, string>(anchors.Environment) { ["Ledger__Integrity__AnchorInterval"] = "00:00:01" };

        var (exitCode, output) = await ApiProcess.RunCommandAsync(database.ConnectionString, settings, "verify-ledger");
        exitCode.Should().Be(0, output);
        anchors.Files().Should().BeEmpty("verify-ledger runs next to the service and leaves the periodic anchor to it");

        await using var api = new ApiProcess(database.ConnectionString, settings);
        await api.StartAsync(TimeSpan.FromSeconds(90));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (anchors.Files().Count < 2 && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        anchors.Files().Should().HaveCountGreaterThanOrEqualTo(2, api.Output);
    }

    [Fact]
    public async Task Two_nodes_sharing_the_anchor_directory_take_each_periodic_anchor_once_between_them()
    {
        var database = new ScratchDatabase("anchoring_nodes");
        await database.InitializeAsync();
        using var anchors = new AnchorFiles();
        try
        {
            var settings = new Dictionary<string, string>(anchors.Environment) { ["Ledger__Integrity__AnchorInterval"] = "00:00:02" };
            await using var first = new ApiProcess(database.ConnectionString, settings);
            await first.StartAsync(TimeSpan.FromSeconds(90));
            await using var second = new ApiProcess(database.ConnectionString, settings);
            await second.StartAsync(TimeSpan.FromSeconds(90));
            await Poll.Until(() => Task.FromResult(anchors.Files().Count), n => n >= 6, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));

            // anchor-20261202T091500.1234567Z-<id>.json: when each was taken.
            var taken = anchors.Files().Select(f => DateTime.ParseExact(Path.GetFileName(f)[7..31], "yyyyMMdd'T'HHmmss'.'fffffff'Z'",
                System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal)).Order().ToList();
            taken.Should().HaveCountGreaterThanOrEqualTo(6, first.Output + second.Output);
            taken.Zip(taken.Skip(1), (a, b) => b - a).Should().OnlyContain(gap => gap >= TimeSpan.FromSeconds(1.9),
                "the second node finds the first one's anchor and waits for the next interval instead of taking another");
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task In_Development_a_missing_key_is_created_once_under_the_users_home_readable_by_the_user_only()
    {
        var database = new ScratchDatabase("devkey");
        await database.InitializeAsync();
        using var home = new AnchorFiles(); // only for its temporary folder, standing in for ~/.local/share
        try
        {
            var settings = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development", ["XDG_DATA_HOME"] = home.Root };
            var key = Path.Combine(home.Root, "event-sourced-ledger", "anchor-signing-key.pem");
            var (exitCode, output) = await ApiProcess.RunCommandAsync(database.ConnectionString, settings, "verify-ledger");
            exitCode.Should().Be(0, output);
            File.Exists(key).Should().BeTrue(output);
            if (!OperatingSystem.IsWindows())
                File.GetUnixFileMode(key).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            Directory.Exists(Path.Combine(home.Root, "event-sourced-ledger", "anchors")).Should().BeTrue();
            var created = await File.ReadAllTextAsync(key);

            (exitCode, output) = await ApiProcess.RunCommandAsync(database.ConnectionString, settings, "verify-ledger");
            exitCode.Should().Be(0, output);
            (await File.ReadAllTextAsync(key)).Should().Be(created, "the Development key is made once and kept");
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task Outside_Development_anchoring_without_a_signing_key_stops_the_service_with_a_clear_error()
    {
        // Any reachable database will do: the key is checked before the event store is touched.
        using var anchors = new AnchorFiles();
        var (exitCode, output) = await ApiProcess.RunCommandAsync(LedgerApp.AdminConnectionString, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Ledger__Integrity__AnchorDirectory"] = anchors.Directory,
        }, "verify-ledger");
        exitCode.Should().Be(2, output);
        output.Should().Contain("no signing key is set").And.Contain("Ledger:Integrity:SigningKeyPath").And.NotContain("   at ");
    }
}
