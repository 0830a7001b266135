using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ledger.Domain.Accounts;
using Ledger.IntegrationTests.Harness;
using Ledger.Projections.Auditing;
using JasperFx.Events.Daemon;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>A ledger of its own whose event tables are split into hot and cold partitions (Ledger:Events:ArchivePartitioning).</summary>
public sealed class PartitionedLedgerApp : LedgerApp
{
    public static readonly IReadOnlyDictionary<string, string> Setting = new Dictionary<string, string> { ["Ledger:Events:ArchivePartitioning"] = "true" };

    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Setting)
            builder.UseSetting(key, value);
    }
}

/// <summary>A ledger of its own with Marten's classic archiving (a flag on each row, one table).</summary>
public sealed class UnpartitionedLedgerApp : LedgerApp;

public sealed class PartitionedArchivingTests(PartitionedLedgerApp app) : ArchivingTests(app, partitioned: true), IClassFixture<PartitionedLedgerApp>;

public sealed class UnpartitionedArchivingTests(UnpartitionedLedgerApp app) : ArchivingTests(app, partitioned: false), IClassFixture<UnpartitionedLedgerApp>;

/// <summary>
/// `archive-closed` (docs/capacity.md, "Hot and cold events"): a closed, settled account is recorded as archived and its
/// events leave the hot table; everything recorded about it reads exactly as before, a projection rebuild brings its
/// views back, verify-ledger passes, and nothing more can be written to it. An account still owed a settlement stays.
/// </summary>
public abstract class ArchivingTests(LedgerApp app, bool partitioned)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.archive"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin("ada.archive"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor("ann.archive"));
    // Each download of a bill is recorded (beside the account, and in the audit log under who took it): another user,
    // so that the desk user's audit log compares equal before and after.
    private readonly HttpClient _printer = app.ClientFor(TestUser.Csr("csr.printer"));

    [Fact]
    public async Task A_closed_settled_account_moves_to_cold_storage_and_reads_exactly_as_it_did()
    {
        // Closed and settled, with a bill: it qualifies.
        var closed = await _desk.OpenAccount("cust-archive-1", holder: "Olga Old");
        var charge = await _desk.Post(closed, "charges", new { amount = 80.25m, description = "Last month", category = "telecom" });
        await _desk.Post(closed, "payments", new { amount = 30.25m, method = "card", cardBrand = "visa", cardLast4 = "4242" });
        var bill = await IssueBill(closed);
        await _desk.Post(closed, "corrections", new { entryId = charge, amount = 50m, reason = "Service never delivered" });
        var midway = DateTimeOffset.UtcNow;
        await Task.Delay(30);
        (await _desk.PostAsJsonAsync($"/api/accounts/{closed}/closure", new { reason = "Moved away" })).StatusCode.Should().Be(HttpStatusCode.OK);
        // Still open: it stays where it is.
        var open = await _desk.OpenAccount("cust-archive-2");
        await _desk.Post(open, "charges", new { amount = 12m, description = "Usage", category = "telecom" });
        // Closed, but a transfer the customer started has not arrived: nothing may be archived while money is under way.
        var pending = await _desk.OpenAccount("cust-archive-3");
        await _desk.Post(pending, "charges", new { amount = 40m, description = "Final bill", category = "telecom" });
        using var customer = app.ClientFor(TestUser.Customer("cust-archive-3"));
        await customer.PayPending(pending, new { amount = 40m, method = "transfer", reference = "SEPA-ARCHIVE-3" });
        await _desk.Post(pending, "credits", new { amount = 40m, reasonCode = "goodwill", reason = "Waived" });
        (await _desk.PostAsJsonAsync($"/api/accounts/{pending}/closure", new { reason = "Moved away" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await Task.Delay(30);

        var store = app.Services.GetRequiredService<IDocumentStore>();
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var before = await Reads(closed, bill, midway);
        var openBefore = await _desk.GetStringAsync($"/api/accounts/{open}");

        var (exitCode, output) = await Archive(DateTimeOffset.UtcNow);
        exitCode.Should().Be(1, "one account was left: " + output);
        var report = Report(output);
        // (Other tests of this ledger close accounts too.)
        report.GetProperty("accounts").EnumerateArray().Select(a => a.GetGuid()).Should().Contain(closed).And.NotContain([open, pending]);
        var left = report.GetProperty("left").EnumerateArray().Single();
        left.GetProperty("accountId").GetGuid().Should().Be(pending);
        left.GetProperty("rule").GetString().Should().Be("payments-pending");

        // Where the rows are now.
        (await Rows("mt_events", closed, archived: true)).Should().Be(7, "opened, charge, payment, bill, correction, closed and archived");
        (await Rows("mt_events", closed, archived: false)).Should().Be(0);
        (await Rows("mt_events", open, archived: false)).Should().Be(2);
        (await Rows("mt_events", pending, archived: false)).Should().BeGreaterThan(0);
        if (partitioned)
        {
            (await Count($"select count(*) from ledger.mt_events_archived where stream_id = '{closed}'")).Should().Be(7);
            (await Count($"select count(*) from ledger.mt_events_default where stream_id = '{closed}'")).Should().Be(0);
            (await Count($"select count(*) from ledger.mt_streams_archived where id = '{closed}'")).Should().Be(1);
        }

        // Everything recorded reads as it did; the account now says when it was archived.
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var after = await Reads(closed, bill, midway);
        var account = JsonDocument.Parse(after["account"]).RootElement;
        account.GetProperty("archivedAt").ValueKind.Should().Be(JsonValueKind.String);
        account.GetProperty("version").GetInt64().Should().Be(7);
        Without(after["account"], "archivedAt", "version").Should().Be(Without(before["account"], "archivedAt", "version"));
        foreach (var key in before.Keys.Where(k => k is not "account" and not "history" and not "audit"))
            after[key].Should().Be(before[key], $"{key} must read exactly as before the archive");
        Recorded(after["history"]).Should().Equal([.. Recorded(before["history"]), "account_archived"]);
        after["audit"].Should().Be(before["audit"], "the desk user's audit log is untouched; the archive is the system's act");
        Recorded(after["history"]).Should().HaveCount(7);
        (await _desk.GetStringAsync($"/api/accounts/{open}")).Should().Be(openBefore);

        // Nothing more is written to it, and the refusal is a clean 422 that appends nothing.
        await (await _desk.PostAsJsonAsync($"/api/accounts/{closed}/charges", new { amount = 1m, description = "Late", category = "telecom" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-archived");
        await (await _desk.PostAsJsonAsync($"/api/accounts/{closed}/reactivation", new { reason = "Back" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-archived");
        (await Rows("mt_events", closed, archived: true)).Should().Be(7);
        (await Rows("mt_events", closed, archived: false)).Should().Be(0);

        // A bill reprinted years on is still recorded, beside the account (its reprint stream stays hot).
        var copies = await Reprints(closed);
        (await Pdf(bill.Account, bill.Statement)).Should().Equal(Convert.FromBase64String(before["pdf"]));
        (await Reprints(closed)).Should().Be(copies + 1);

        // A rebuild of every projection brings the archived account's views back as they were.
        await using (var damage = store.LightweightSession())
        {
            damage.Delete<Account>(closed);
            damage.DeleteWhere<Entry>(e => e.AccountId == closed);
            damage.DeleteWhere<AuditEntry>(a => a.StreamId == closed);
            await damage.SaveChangesAsync();
        }
        using (var daemon = await store.BuildProjectionDaemonAsync())
            foreach (var name in store.Options.Events.Projections().Select(p => p.Name).Distinct())
                await daemon.RebuildProjectionAsync(name, TimeSpan.FromMinutes(2), CancellationToken.None);
        var rebuilt = await Reads(closed, bill, midway);
        foreach (var key in after.Keys.Where(k => k is not "history"))
            rebuilt[key].Should().Be(after[key], $"{key} must rebuild from the archived events");

        // The chains and anchors still verify; a second run finds nothing left to do.
        var (verified, verifyOutput) = await ApiProcess.RunCommandAsync(app.ConnectionString, Environment(), "verify-ledger");
        verified.Should().Be(0, verifyOutput);
        (exitCode, output) = await Archive(DateTimeOffset.UtcNow);
        report = Report(output);
        report.GetProperty("archived").GetInt32().Should().Be(0, output);
        report.GetProperty("left").EnumerateArray().Select(l => l.GetProperty("accountId").GetGuid()).Should().Equal([pending], "only the account still owed its transfer: " + output);
    }

    [Fact]
    public async Task The_command_refuses_a_cut_off_in_the_future_or_no_cut_off_and_a_dry_run_writes_nothing()
    {
        var closed = await _desk.OpenAccount("cust-archive-dry");
        (await _desk.PostAsJsonAsync($"/api/accounts/{closed}/closure", new { reason = "Never used" })).StatusCode.Should().Be(HttpStatusCode.OK);
        var version = await _desk.Version(closed);

        var (exitCode, output) = await Archive(DateTimeOffset.UtcNow.AddDays(1));
        exitCode.Should().Be(2);
        output.Should().Contain("in the future");
        (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, Environment(), "archive-closed");
        exitCode.Should().Be(2);
        output.Should().Contain("usage: archive-closed --closed-before DATE");
        (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, Environment(), "archive-closed", "--closed-before", "yesterday-ish");
        exitCode.Should().Be(2, output);

        // Closed after the cut-off: not a candidate.
        (exitCode, output) = await Archive(DateTimeOffset.UtcNow.AddDays(-1));
        output.Should().NotContain(closed.ToString());
        (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, Environment(),
            "archive-closed", "--closed-before", DateTimeOffset.UtcNow.ToString("O"), "--dry-run");
        exitCode.Should().Be(0, output);
        output.Should().Contain(closed.ToString());
        (await _desk.Version(closed)).Should().Be(version, "a dry run records nothing");
        (await Rows("mt_events", closed, archived: true)).Should().Be(0);
    }

    /// <summary>
    /// Ten first downloads of a new bill at once all race to start its reprint stream. Marten names the losers' unique
    /// violation as a stream collision (which the write path retries) only on an unpartitioned table; with partitioning
    /// the violation names the partition, and without <c>PartitionedStreamCollision</c> the losers got 503s.
    /// </summary>
    [Fact]
    public async Task Writers_racing_to_start_the_same_stream_are_retried_not_refused()
    {
        var accountId = await _desk.OpenAccount("cust-archive-race");
        await _desk.Post(accountId, "charges", new { amount = 12m, description = "Line", category = "usage" });
        var bill = await IssueBill(accountId);
        var copies = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Pdf(bill.Account, bill.Statement)));
        copies.Select(Convert.ToBase64String).Distinct().Should().HaveCount(1, "every copy is the bill as issued");
    }

    private async Task<Dictionary<string, string>> Reads(Guid accountId, (Guid Account, Guid Statement) bill, DateTimeOffset midway) => new()
    {
        ["account"] = await Read(_desk, $"/api/accounts/{accountId}"),
        ["entries"] = await Read(_desk, $"/api/accounts/{accountId}/entries"),
        ["history"] = await Read(_desk, $"/api/accounts/{accountId}/history"),
        ["as-of"] = await Read(_auditor, $"/api/accounts/{accountId}?asOf={Uri.EscapeDataString(midway.ToString("O"))}"),
        ["version-3"] = await Read(_auditor, $"/api/accounts/{accountId}?version=3"),
        ["statements"] = await Read(_desk, $"/api/accounts/{accountId}/statements"),
        ["bill"] = await Read(_desk, $"/api/accounts/{accountId}/statements/{bill.Statement}"),
        ["pdf"] = Convert.ToBase64String(await Pdf(bill.Account, bill.Statement)),
        ["audit"] = await Read(_auditor, $"/api/audit?actor={Uri.EscapeDataString("csr.archive")}&pageSize=100"),
    };

    private static async Task<string> Read(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, $"GET {url}: {text}");
        return text;
    }

    private async Task<(Guid Account, Guid Statement)> IssueBill(Guid accountId)
    {
        var report = await (await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accountId } })).Body();
        report["issued"]!.GetValue<int>().Should().Be(1, report.ToJsonString());
        var list = await (await _desk.GetAsync($"/api/accounts/{accountId}/statements")).Content.ReadFromJsonAsync<List<Dictionary<string, object>>>();
        return (accountId, Guid.Parse(list![0]["statementId"].ToString()!));
    }

    private async Task<byte[]> Pdf(Guid accountId, Guid statementId)
    {
        var response = await _printer.GetAsync($"/api/accounts/{accountId}/statements/{statementId}/pdf");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The command's JSON report: its standard output (standard error, which may hold log lines, follows it).</summary>
    private static JsonElement Report(string output)
    {
        var start = output.StartsWith('{') ? 0 : output.IndexOf("\n{", StringComparison.Ordinal) + 1;
        var end = output.IndexOf("\n}", start, StringComparison.Ordinal) + 2;
        return JsonDocument.Parse(output[start..end]).RootElement;
    }

    /// <summary>The kinds of event on the record, in order, bill downloads left out (each read of the bill adds one).</summary>
    private static List<string> Recorded(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("items");
        return items.EnumerateArray().Select(e => e.GetProperty("type").GetString()!).Where(t => t != "statement_reprinted").ToList();
    }

    private async Task<int> Reprints(Guid accountId) =>
        JsonDocument.Parse(await _desk.GetStringAsync($"/api/accounts/{accountId}/history")).RootElement.EnumerateArray()
            .Count(e => e.GetProperty("type").GetString() == "statement_reprinted");

    private Task<(int ExitCode, string Output)> Archive(DateTimeOffset cutoff) =>
        ApiProcess.RunCommandAsync(app.ConnectionString, Environment(), "archive-closed", "--closed-before", cutoff.ToString("O"), "--reason", "test");

    private Dictionary<string, string> Environment() =>
        (partitioned ? PartitionedLedgerApp.Setting : new Dictionary<string, string>())
        .Select(s => new KeyValuePair<string, string>(s.Key.Replace(":", "__"), s.Value))
        .Concat(app.Anchors.Environment).ToDictionary();

    private Task<long> Rows(string table, Guid streamId, bool archived) =>
        Count($"select count(*) from ledger.{table} where stream_id = '{streamId}' and is_archived = {archived}");

    private Task<long> Count(string sql) => EventStore.Count(app.ConnectionString, sql);

    private static string Without(string json, params string[] properties)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        foreach (var property in properties)
            node.Remove(property);
        return node.ToJsonString();
    }
}
