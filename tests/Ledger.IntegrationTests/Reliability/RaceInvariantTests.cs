using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;
using Xunit.Abstractions;

namespace Ledger.IntegrationTests.Reliability;

/// <summary>
/// 50 concurrent writers doing a random mix of everything (charges, payments, credits under and over limits,
/// corrections, approvals and rejections), over several seeds. The invariants are checked against the raw event
/// table, not through the code under test.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class RaceInvariantTests(LedgerApp app, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Fifty_random_writers_keep_balances_exact_versions_gap_free_limits_and_one_decision_per_request(int seed)
    {
        using var desk = app.ClientFor(TestUser.Csr($"csr.race{seed}.setup"));
        var accounts = new List<Guid>();
        var charges = new List<(Guid Account, Guid Entry)>();
        for (var i = 0; i < 3; i++)
        {
            var id = await desk.OpenAccount($"cust-race{seed}-{i}");
            accounts.Add(id);
            charges.Add((id, await desk.Post(id, "charges", new { amount = 500m, description = "Base", category = "base" })));
        }

        var statuses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async w =>
        {
            var random = new Random(seed * 1000 + w);
            var user = w % 5 == 0 ? TestUser.Manager($"mgr.race{seed}.{w % 3}") : TestUser.Csr($"csr.race{seed}.{w % 4}");
            using var client = app.ClientFor(user);
            var account = accounts[random.Next(accounts.Count)];
            var amount = random.Next(1, 20_000) / 100m;
            HttpResponseMessage response = random.Next(6) switch
            {
                0 => await client.PostAsJsonAsync($"/api/accounts/{account}/charges", new { amount, description = "Usage", category = "usage" }),
                1 => await client.PostAsJsonAsync($"/api/accounts/{account}/payments", new { amount, method = "cash" }),
                2 or 3 => await client.PostAsJsonAsync($"/api/accounts/{account}/credits",
                    new { amount, reasonCode = "goodwill", reason = "race", overrideReason = user.Roles[0] == "manager" ? "race" : null }),
                4 => await client.PostAsJsonAsync($"/api/accounts/{account}/corrections",
                    new { entryId = charges.First(c => c.Account == account).Entry, amount = amount / 4, reason = "race" }),
                _ => await Decide(client, random),
            };
            return (int)response.StatusCode;
        }));

        statuses.Should().OnlyContain(s => s < 500, "no race may surface as a server error");
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        foreach (var accountId in accounts)
        {
            var (versions, balance) = await StreamFacts(connection, accountId);
            versions.Should().Equal(Enumerable.Range(1, versions.Count).Select(v => (long)v), "stream versions are gap-free");
            (await desk.Balance(accountId)).Should().Be(balance, "the balance equals the sum of the stored postings");
            (await (await app.ClientFor(TestUser.Auditor()).GetAsync($"/api/accounts/{accountId}/integrity")).Body())["intact"]!.GetValue<bool>().Should().BeTrue();
        }
        (await Scalar(connection, "select coalesce(max(n), 0) from (select count(*) n from ledger.mt_events " +
            "where type in ('approval_approved','approval_rejected','approval_expired') group by data->>'approvalId') d")).Should().BeLessThanOrEqualTo(1);
        (await Scalar(connection, $"select coalesce(max(total), 0) from (select sum((data->>'amount')::numeric) total from ledger.mt_events " +
            $"where type = 'credit_allowance_used' and data->>'userId' like 'csr.race{seed}.%' group by data->>'userId', data->>'day') d"))
            .Should().BeLessThanOrEqualTo(500m, "no CSR credits more than the daily total alone");
        output.WriteLine($"seed {seed}: 50 writers, statuses {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key}×{g.Count()}"))}");
    }

    private async Task<HttpResponseMessage> Decide(HttpClient client, Random random)
    {
        using var manager = app.ClientFor(TestUser.Manager("mgr.race.queue"));
        var queue = await (await manager.GetAsync("/api/approvals?status=pending&pageSize=200")).Body();
        var items = queue["items"]!.AsArray();
        if (items.Count == 0)
            return new HttpResponseMessage(HttpStatusCode.NoContent);
        var id = items[random.Next(items.Count)]!["id"]!.GetValue<Guid>();
        return random.Next(2) == 0
            ? await client.PostAsJsonAsync($"/api/approvals/{id}/approve", new { note = "race" })
            : await client.PostAsJsonAsync($"/api/approvals/{id}/reject", new { reason = "race" });
    }

    private static async Task<(List<long> Versions, decimal Balance)> StreamFacts(NpgsqlConnection connection, Guid accountId)
    {
        await using var command = new NpgsqlCommand("""
            select version, case type
                when 'charge_posted' then (data->>'amount')::numeric
                when 'payment_received' then -(data->>'amount')::numeric
                when 'credit_issued' then -(data->>'amount')::numeric
                when 'entry_corrected' then (data->>'balanceEffect')::numeric
                when 'correction_reversed' then (data->>'balanceEffect')::numeric
                else 0 end
            from ledger.mt_events where stream_id = @id order by version
            """, connection);
        command.Parameters.AddWithValue("id", accountId);
        var versions = new List<long>();
        var balance = 0m;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt64(0));
            balance += reader.GetDecimal(1);
        }
        return (versions, balance);
    }

    private static async Task<decimal> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToDecimal(await command.ExecuteScalarAsync());
    }
}
