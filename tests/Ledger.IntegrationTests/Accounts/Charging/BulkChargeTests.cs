using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.Accounts.Charging;

/// <summary>
/// POST /api/bulk/charges: each item is decided and answered on its own, as the single-charge endpoint would answer it;
/// a bad item sinks nothing else; the items are committed together; a retry replays each item's first answer.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class BulkChargeTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("carol.bulk"));

    private static object Item(Guid accountId, string key, decimal amount, string? description = "Usage", string category = "usage") =>
        new { accountId, idempotencyKey = key, amount, description, category };

    [Fact]
    public async Task Given_good_and_bad_items_Then_each_gets_its_own_answer_the_good_ones_commit_together_and_the_bad_ones_append_nothing()
    {
        var (a, b) = (await _desk.OpenAccount("cust-bulk-a"), await _desk.OpenAccount("cust-bulk-b"));
        var run = Guid.NewGuid().ToString("N");
        var items = new[]
        {
            Item(a, $"{run}-0", 10m), Item(b, $"{run}-1", 20m), Item(Guid.NewGuid(), $"{run}-2", 5m), Item(a, $"{run}-3", -1m),
            Item(b, $"{run}-4", 7m, description: null), Item(a, $"{run}-1", 3m), Item(a, $"{run}-6", 2.5m),
        };

        var body = await Send(items);

        var results = body["items"]!.AsArray();
        results.Select(r => r!["status"]!.GetValue<int>()).Should().Equal(201, 201, 404, 422, 400, 409, 201);
        results.Select(r => r!["index"]!.GetValue<int>()).Should().Equal(0, 1, 2, 3, 4, 5, 6);
        results[3]!["problem"]!["rule"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        results[4]!["problem"]!["field"]!.GetValue<string>().Should().Be("items[4].description");
        results[5]!["problem"]!["rule"]!.GetValue<string>().Should().Be("idempotency-key-repeated");
        body["applied"]!.GetValue<int>().Should().Be(3);
        body["refused"]!.GetValue<int>().Should().Be(4);
        results[6]!["balance"]!.GetValue<decimal>().Should().Be(12.5m, "two items on one account are decided one after the other");
        (await _desk.Balance(a)).Should().Be(12.5m);
        (await _desk.Balance(b)).Should().Be(20m);
        (await app.Events(a)).Should().HaveCount(3, "the opening and two charges; the refused item appended nothing");
        (await app.Events(b)).Should().HaveCount(2);
        (await TransactionsOf([a, b])).Should().ContainSingle("the items of one request are committed together");
        var entry = results[0]!["entryId"]!.GetValue<Guid>();
        (await _desk.GetAsync($"/api/accounts/{a}/entries/{entry}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Given_the_same_request_sent_again_Then_every_item_replays_its_first_answer_and_a_changed_item_with_a_used_key_is_refused()
    {
        var account = await _desk.OpenAccount("cust-bulk-retry");
        var run = Guid.NewGuid().ToString("N");
        var items = Enumerable.Range(0, 5).Select(i => Item(account, $"{run}-{i}", 1m + i)).ToArray();

        var first = await Send(items);
        var again = await Send(items);
        items[2] = Item(account, $"{run}-2", 99m);
        var changed = await Send(items);

        again["items"]!.ToJsonString().Should().Be(first["items"]!.ToJsonString(), "a retry gets exactly the first answers");
        changed["items"]!.AsArray().Select(r => r!["status"]!.GetValue<int>()).Should().Equal(201, 201, 422, 201, 201);
        changed["items"]![2]!["problem"]!["rule"]!.GetValue<string>().Should().Be("idempotency-key-reused");
        (await _desk.Balance(account)).Should().Be(15m);
        (await app.Events(account)).Should().HaveCount(6);
    }

    [Fact]
    public async Task Given_a_thousand_items_over_many_accounts_Then_all_are_applied_and_a_thousand_and_one_are_refused_naming_items()
    {
        var accounts = new List<Guid>();
        for (var i = 0; i < 20; i++)
            accounts.Add(await _desk.OpenAccount($"cust-bulk-many-{i}"));
        var run = Guid.NewGuid().ToString("N");
        var items = Enumerable.Range(0, 1_000).Select(i => Item(accounts[i % 20], $"{run}-{i}", 0.01m * (1 + i % 7))).ToArray();

        var body = await Send(items);

        body["applied"]!.GetValue<int>().Should().Be(1_000);
        for (var a = 0; a < 20; a++)
            (await _desk.Balance(accounts[a])).Should().Be(Enumerable.Range(0, 1_000).Where(i => i % 20 == a).Sum(i => 0.01m * (1 + i % 7)));
        var tooMany = await _desk.PostAsJsonAsync("/api/bulk/charges", new { items = items.Append(Item(accounts[0], $"{run}-x", 1m)) });
        (await tooMany.ShouldBeProblem(HttpStatusCode.BadRequest))["field"]!.GetValue<string>().Should().Be("items");
    }

    private async Task<JsonObject> Send(object[] items)
    {
        var response = await _desk.PostAsJsonAsync("/api/bulk/charges", new { items });
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Body();
    }

    private async Task<List<string>> TransactionsOf(Guid[] accounts)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select distinct xmin::text from ledger.mt_events where stream_id = any(@ids) and type = 'charge_posted'", connection);
        command.Parameters.AddWithValue("ids", accounts);
        var transactions = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            transactions.Add(reader.GetString(0));
        return transactions;
    }
}
