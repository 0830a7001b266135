using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Integrity;
using Ledger.Projections;
using Ledger.IntegrationTests.Harness;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

/// <summary>
/// What an attacker with the database owner's rights can do to the hash chain — recompute every link after an edit,
/// delete the latest events and lower the version, drop a stream — and how the signed anchor catches each.
/// </summary>
[Collection(TamperingCollection.Name)]
public sealed class AnchorTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.anchor"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    private async Task<Guid> AccountWithSevenEvents(string customerId)
    {
        var accountId = await _desk.OpenAccount(customerId);
        var charge = await _desk.Post(accountId, "charges", new { amount = 60m, description = "Gas", category = "energy" });
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 10m, reason = "Estimate" });
        await _desk.Post(accountId, "payments", new { amount = 20m, method = "cash" });
        await _desk.Post(accountId, "charges", new { amount = 5m, description = "Fee", category = "fees" });
        await _desk.Post(accountId, "payments", new { amount = 5m, method = "cash" });
        await _desk.Post(accountId, "charges", new { amount = 7m, description = "Water", category = "water" });
        (await app.Events(accountId)).Should().HaveCount(7);
        return accountId;
    }

    private async Task<JsonObject> TakeAnchor()
    {
        var response = await _admin.PostAsync("/api/integrity/anchors", null);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private async Task<JsonObject> Integrity(Guid accountId)
    {
        var response = await _auditor.GetAsync($"/api/accounts/{accountId}/integrity");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private async Task Sql(string sql, Guid accountId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("id", accountId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The attacker's half: the chain algorithm is public and unkeyed, so every link from the edit on is recomputed.</summary>
    private async Task RecomputeLinksFrom(Guid accountId, long fromVersion)
    {
        await using var session = app.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(accountId);
        string? previous = null;
        foreach (var e in events)
        {
            if (e.Version >= fromVersion)
            {
                var link = EventChain.Link(session, previous, e.Version, e.EventTypeName, e.Data,
                    EventHeaders.Text(e, EventHeaders.Actor), EventHeaders.Text(e, EventHeaders.Role), EventHeaders.Text(e, EventHeaders.Channel));
                await Sql($"update ledger.mt_events set headers = jsonb_set(headers, '{{chain}}', to_jsonb('{link}'::text)) where stream_id = @id and version = {e.Version}",
                    accountId);
                previous = link;
            }
            else
                previous = EventHeaders.Text(e, EventHeaders.Chain);
        }
    }

    private Task<(int ExitCode, string Output)> VerifyLedger() =>
        ApiProcess.RunCommandAsync(app.ConnectionString, app.Anchors.Environment, "verify-ledger");

    [Fact]
    public async Task Given_an_anchor_When_an_event_is_edited_and_every_later_link_recomputed_Then_the_stream_is_reported_rewritten()
    {
        var accountId = await AccountWithSevenEvents("cust-anchor-rewrite");
        await TakeAnchor();
        // Written after the anchor: it must still chain from the anchored head, and does.
        await _desk.Post(accountId, "payments", new { amount = 1m, method = "cash" });
        (await Integrity(accountId))["intact"]!.GetValue<bool>().Should().BeTrue();

        await Sql("update ledger.mt_events set data = jsonb_set(data, '{amount}', '6.00') where stream_id = @id and version = 2", accountId);
        await RecomputeLinksFrom(accountId, 2);

        var report = await Integrity(accountId);
        report["intact"]!.GetValue<bool>().Should().BeFalse(report.ToJsonString());
        report["finding"]!.GetValue<string>().Should().Be("rewritten");
        report["firstBrokenVersion"]!.GetValue<long>().Should().Be(7, "the anchor signed the head at version 7");
        report["anchor"]!["anchoredVersion"]!.GetValue<long>().Should().Be(7);

        var (exitCode, output) = await VerifyLedger();
        exitCode.Should().Be(1, output);
        output.Should().Contain($"BROKEN {accountId} at version 7 (rewritten)");
    }

    [Fact]
    public async Task Given_an_anchor_When_the_latest_events_are_deleted_and_the_stream_version_lowered_Then_the_stream_is_reported_truncated()
    {
        var accountId = await AccountWithSevenEvents("cust-anchor-truncate");
        await TakeAnchor();

        await Sql("delete from ledger.mt_events where stream_id = @id and version >= 6", accountId);
        await Sql("update ledger.mt_streams set version = 5 where id = @id", accountId);

        var report = await Integrity(accountId);
        report["intact"]!.GetValue<bool>().Should().BeFalse(report.ToJsonString());
        report["finding"]!.GetValue<string>().Should().Be("truncated");
        report["firstBrokenVersion"]!.GetValue<long>().Should().Be(6);

        var (exitCode, output) = await VerifyLedger();
        exitCode.Should().Be(1, output);
        output.Should().Contain($"BROKEN {accountId} at version 6 (truncated)");
    }

    [Fact]
    public async Task Given_an_anchor_When_a_whole_stream_and_its_read_model_are_deleted_Then_the_stream_is_reported_missing()
    {
        var accountId = await AccountWithSevenEvents("cust-anchor-missing");
        await TakeAnchor();

        await Sql("delete from ledger.mt_events where stream_id = @id; delete from ledger.mt_streams where id = @id; delete from ledger.mt_doc_account where id = @id",
            accountId);

        var report = await Integrity(accountId);
        report["intact"]!.GetValue<bool>().Should().BeFalse();
        report["finding"]!.GetValue<string>().Should().Be("missing-stream");
        var (exitCode, output) = await VerifyLedger();
        exitCode.Should().Be(1, output);
        output.Should().Contain($"BROKEN {accountId} at version 1 (missing-stream)");
    }

    [Fact]
    public async Task Given_an_anchor_When_its_file_is_edited_Then_its_signature_fails_and_it_is_reported_tampered()
    {
        var accountId = await AccountWithSevenEvents("cust-anchor-file");
        var taken = await TakeAnchor();
        var path = Path.Combine(app.Anchors.Directory, taken["file"]!.GetValue<string>());
        var original = await File.ReadAllTextAsync(path);
        try
        {
            // The attacker lowers this stream's anchored version to match a truncation (the digest is recomputed too).
            var anchor = JsonNode.Parse(original)!.AsObject();
            var stream = anchor["streams"]!.AsArray().First(s => s!["streamId"]!.GetValue<Guid>() == accountId)!;
            stream["version"] = 5L;
            anchor["digest"] = Ledger.Api.Integrity.Anchoring.Anchor.DigestOf(anchor["streams"]!.AsArray()
                .Select(s => new Ledger.Api.Integrity.Anchoring.AnchoredStream(s!["streamId"]!.GetValue<Guid>(), s["version"]!.GetValue<long>(), s["head"]!.GetValue<string>())));
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // anchor files are created read-only
            await File.WriteAllTextAsync(path, anchor.ToJsonString());

            var list = await (await _auditor.GetAsync("/api/integrity/anchors?pageSize=1")).Body();
            list["items"]![0]!["file"]!.GetValue<string>().Should().Be(taken["file"]!.GetValue<string>());
            list["items"]![0]!["valid"]!.GetValue<bool>().Should().BeFalse();
            list["items"]![0]!["problem"]!.GetValue<string>().Should().Contain("signature");

            var report = await Integrity(accountId);
            report["tamperedAnchors"]!.AsArray().Select(a => a!["file"]!.GetValue<string>()).Should().Contain(taken["file"]!.GetValue<string>());

            var (exitCode, output) = await VerifyLedger();
            exitCode.Should().Be(1, output);
            output.Should().Contain($"TAMPERED ANCHOR {taken["file"]}: its signature does not match its content");
        }
        finally
        {
            await File.WriteAllTextAsync(path, original);
        }
    }

    [Fact]
    public async Task Anchors_are_append_only_files_and_listed_newest_first()
    {
        var first = await TakeAnchor();
        var firstPath = Path.Combine(app.Anchors.Directory, first["file"]!.GetValue<string>());
        var firstBytes = await File.ReadAllBytesAsync(firstPath);
        var second = await TakeAnchor();

        second["file"]!.GetValue<string>().Should().NotBe(first["file"]!.GetValue<string>());
        (await File.ReadAllBytesAsync(firstPath)).Should().Equal(firstBytes, "a later anchor never rewrites an earlier one");
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(firstPath).Should().NotHaveFlag(UnixFileMode.UserWrite);

        // Appending an anchor under a name that exists fails instead of replacing the file.
        var files = app.Services.GetRequiredService<Ledger.Api.Integrity.Anchoring.AnchorStore>();
        var existing = (await files.ReadAsync(first["file"]!.GetValue<string>(), CancellationToken.None)).Anchor!;
        await FluentActions.Awaiting(() => files.AppendAsync(existing with { TakenBy = "attacker" }, CancellationToken.None)).Should().ThrowAsync<IOException>();
        (await File.ReadAllBytesAsync(firstPath)).Should().Equal(firstBytes);

        var page = await (await _admin.GetAsync("/api/integrity/anchors?page=1&pageSize=2")).Body();
        page["items"]!.AsArray().Select(i => i!["file"]!.GetValue<string>()).Should().Equal(second["file"]!.GetValue<string>(), first["file"]!.GetValue<string>());
        page["total"]!.GetValue<long>().Should().BeGreaterThanOrEqualTo(2);
        page["items"]![0]!["valid"]!.GetValue<bool>().Should().BeTrue();
        (await _admin.GetAsync("/api/integrity/anchors?page=100000&pageSize=200")).StatusCode.Should().Be(HttpStatusCode.OK);
        // Past the deepest page the API pages (the same rule everywhere): a 400 naming 'page', never an overflow.
        await (await _admin.GetAsync("/api/integrity/anchors?page=2147483647&pageSize=200")).ShouldBeProblem(HttpStatusCode.BadRequest, "page-out-of-range");
        await (await _admin.GetAsync("/api/integrity/anchors?pageSize=0")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task When_the_anchor_directory_cannot_be_written_Then_taking_an_anchor_answers_503_and_reads_still_answer()
    {
        var accountId = await _desk.OpenAccount("cust-anchor-disk");
        var moved = app.Anchors.Directory + ".away";
        Directory.Move(app.Anchors.Directory, moved);
        try
        {
            await File.WriteAllTextAsync(app.Anchors.Directory, "a file where the directory should be");
            await (await _admin.PostAsync("/api/integrity/anchors", null)).ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "anchor-storage-unavailable");
            (await _admin.GetAsync("/api/integrity/anchors")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await Integrity(accountId))["intact"]!.GetValue<bool>().Should().BeTrue();
        }
        finally
        {
            File.Delete(app.Anchors.Directory);
            Directory.Move(moved, app.Anchors.Directory);
        }
    }

    [Theory]
    [InlineData("customer", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("csr", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("manager", HttpStatusCode.Forbidden, HttpStatusCode.Forbidden)]
    [InlineData("auditor", HttpStatusCode.Forbidden, HttpStatusCode.OK)]
    [InlineData("admin", HttpStatusCode.Created, HttpStatusCode.OK)]
    public async Task Only_admins_take_anchors_and_only_admins_and_auditors_list_them(string role, HttpStatusCode take, HttpStatusCode list)
    {
        using var client = app.ClientFor(role == "customer" ? TestUser.Customer("cust-anchor-role") : new TestUser($"{role}.anchor", [role]));
        var before = app.Anchors.Files().Count;
        (await client.PostAsync("/api/integrity/anchors", null)).StatusCode.Should().Be(take);
        app.Anchors.Files().Should().HaveCount(take == HttpStatusCode.Created ? before + 1 : before);
        (await client.GetAsync("/api/integrity/anchors")).StatusCode.Should().Be(list);
    }
}
