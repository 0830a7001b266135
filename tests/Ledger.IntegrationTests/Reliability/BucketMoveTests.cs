using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>Its own two databases: after the move, this fixture's node still has the old map.</summary>
[CollectionDefinition(Name)]
public sealed class BucketMoveCollection : ICollectionFixture<TwoDatabaseApp>
{
    public const string Name = "moving a bucket";
}

/// <summary>
/// Moving a bucket to another database (docs/operations.md, "Moving a bucket"): copy and verify while the bucket's
/// accounts refuse writes, switch the map on a node, then finish by removing the bucket from the database it left.
/// </summary>
[Collection(BucketMoveCollection.Name)]
public sealed class BucketMoveTests(TwoDatabaseApp app)
{
    private const int Bucket = 5;

    [Fact]
    public async Task Every_document_table_is_known_to_the_move_as_an_accounts_a_streams_or_shared()
    {
        var tables = new List<string>();
        await using var connection = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "select table_name from information_schema.tables where table_schema = 'ledger' and table_name like 'mt_doc_%'", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            tables.Add(reader.GetString(0));
        tables.Should().Contain("mt_doc_account");
        tables.Where(t => !BucketMoves.AccountDocuments.ContainsKey(t) && !BucketMoves.StreamDocuments.ContainsKey(t) && !BucketMoves.SharedDocuments.Contains(t))
            .Should().BeEmpty("a new document type must be placed: moved with its account or stream, or kept where it is (BucketMoves)");
    }

    [Fact]
    public async Task A_bucket_is_copied_verified_switched_and_removed_from_the_database_it_left_with_every_account_whole()
    {
        var csr = TestUser.Csr("csr.mover");
        using var desk = app.ClientFor(csr);
        using var manager = app.ClientFor(TestUser.Manager("mgr.mover"));
        using var admin = app.ClientFor(TestUser.Admin());
        var customer = Enumerable.Range(0, 1000).Select(i => $"cust-move-{i}").First(c => Buckets.OfCustomer(c) == Bucket);
        var accounts = new[] { await desk.OpenAccount(customer), await desk.OpenAccount(customer, "EUR") };
        foreach (var accountId in accounts)
        {
            await desk.Post(accountId, "charges", new { amount = 100m, description = "Supply", category = "energy" });
            await desk.Post(accountId, "credits", new { amount = 10m, reasonCode = "goodwill", reason = "Outage" });
        }
        var pending = await desk.PostAsJsonAsync($"/api/accounts/{accounts[0]}/credits", new { amount = 150m, reasonCode = "goodwill", reason = "Big outage" });
        pending.StatusCode.Should().Be(HttpStatusCode.Accepted);
        var approvalId = (await pending.Body())["approvalId"]!.GetValue<Guid>();
        (await (await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { accounts[0] } })).Body())["issued"]!.GetValue<int>().Should().Be(1);
        var statementId = System.Text.Json.Nodes.JsonNode.Parse(await desk.GetStringAsync($"/api/accounts/{accounts[0]}/statements"))!.AsArray()[0]!["statementId"]!.GetValue<Guid>();
        var bill = await desk.GetByteArrayAsync($"/api/accounts/{accounts[0]}/statements/{statementId}/pdf");
        var staying = await desk.OpenAccount(Enumerable.Range(0, 1000).Select(i => $"cust-stay-{i}").First(c => Buckets.OfCustomer(c) == 3));
        (await admin.PostAsync("/api/integrity/anchors", null)).StatusCode.Should().Be(HttpStatusCode.Created);
        var before = new List<string>();
        foreach (var accountId in accounts)
            before.Add((await desk.Account(accountId)).ToJsonString());
        var events = await EventStore.Events(app.ConnectionString, accounts[0]);

        var settings = app.CommandEnvironment.Concat([new KeyValuePair<string, string>("Ledger__Moves__Settle", "00:00:01")]).ToDictionary();
        var (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, settings, "move-bucket", $"{Bucket}", "--to", "second");
        exitCode.Should().Be(0, output);
        output.Should().Contain("Verified: every chain recomputed in 'second' is intact");
        (await EventStore.Events(app.SecondConnectionString, accounts[0])).Should().Equal(events, "the copy holds every event, version for version");

        // Copied and verified, not switched yet: this node (the old map) refuses writes to the bucket, still reads it, and
        // writes to the others as ever.
        var refused = await desk.PostAsJsonAsync($"/api/accounts/{accounts[0]}/charges", new { amount = 1m, description = "Late", category = "energy" });
        await refused.ShouldBeProblem(HttpStatusCode.ServiceUnavailable, "bucket-moving");
        (await desk.Account(accounts[0])).ToJsonString().Should().Be(before[0]);
        await desk.Post(staying, "charges", new { amount = 1m, description = "Other bucket", category = "energy" });

        // The switch: a node whose map gives the bucket to the second database.
        var moved = new Dictionary<string, string>(settings)
        {
            ["Ledger__Databases__0__Buckets"] = "0-4,6-7",
            ["Ledger__Databases__1__Buckets"] = "5,8-15",
        };
        await using (var node = new ApiProcess(app.ConnectionString, moved))
        {
            await node.StartAsync(TimeSpan.FromSeconds(90));
            using var movedDesk = node.ClientFor(csr);
            for (var i = 0; i < accounts.Length; i++)
                (await movedDesk.Account(accounts[i])).ToJsonString().Should().Be(before[i], "the account reads the same from its new database");
            (await movedDesk.GetByteArrayAsync($"/api/accounts/{accounts[0]}/statements/{statementId}/pdf")).Should().Equal(bill,
                "a reprint is still the bill as issued, byte for byte");
            (await node.ClientFor(TestUser.Manager("mgr.mover")).GetAsync($"/api/approvals/{approvalId}")).StatusCode.Should().Be(HttpStatusCode.OK);
            await movedDesk.Post(accounts[0], "charges", new { amount = 1m, description = "After the move", category = "energy" });
            (await EventStore.Events(app.SecondConnectionString, accounts[0])).Should().HaveCount(events.Count + 1, "written in its new database");

            (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, moved, "move-bucket", $"{Bucket}", "--finish", "--from", "main");
            exitCode.Should().Be(0, output);
            (await EventStore.Events(app.ConnectionString, accounts[0])).Should().BeEmpty("the bucket left its old database");
            (await movedDesk.Balance(accounts[0])).Should().Be(91m);
        }

        (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, moved, "verify-ledger");
        exitCode.Should().Be(0, output);
        output.Should().Contain("0 broken, 0 tampered");
    }
}
