using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.Integrity;

[Collection(TamperingCollection.Name)]
public sealed class TamperEvidenceTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.chain"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    private async Task<Guid> AccountWithHistory(string customerId)
    {
        var accountId = await _desk.OpenAccount(customerId);
        var charge = await _desk.Post(accountId, "charges", new { amount = 60m, description = "Gas", category = "energy" });
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 10m, reason = "Estimate" });
        using var customer = app.ClientFor(TestUser.Customer(customerId));
        await customer.PayPending(accountId, new { amount = 50m, method = "transfer" });
        var request = await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 150m, reasonCode = "goodwill", reason = "r" })).Body();
        await app.ClientFor(TestUser.Manager()).PostAsJsonAsync($"/api/approvals/{request["approvalId"]}/approve", new { note = "ok" });
        return accountId;
    }

    private async Task<Dictionary<string, object?>> Integrity(Guid accountId) =>
        (await (await _auditor.GetAsync($"/api/accounts/{accountId}/integrity")).Content.ReadFromJsonAsync<Dictionary<string, object?>>())!;

    [Fact]
    public async Task An_untouched_account_verifies_intact_across_every_kind_of_write()
    {
        var accountId = await AccountWithHistory("cust-chain-ok");
        var report = await Integrity(accountId);
        report["intact"]!.ToString().Should().Be("True");
        report["eventsChecked"]!.ToString().Should().Be("7");
        (await _desk.GetAsync($"/api/accounts/{accountId}/integrity")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("an amount edited", "update ledger.mt_events set data = jsonb_set(data, '{amount}', '6.00') where stream_id = @id and version = 2", 2L)]
    [InlineData("an actor rewritten", "update ledger.mt_events set headers = jsonb_set(headers, '{actor}', '\"mike.manager\"') where stream_id = @id and version = 4", 4L)]
    [InlineData("a reason reworded", "update ledger.mt_events set data = jsonb_set(data, '{reason}', '\"Goodwill\"') where stream_id = @id and version = 3", 3L)]
    [InlineData("a row deleted", "delete from ledger.mt_events where stream_id = @id and version = 3", 3L)]
    [InlineData("the latest rows deleted", "delete from ledger.mt_events where stream_id = @id and version >= 6", 6L)]
    public async Task Editing_or_deleting_a_row_in_the_database_names_the_first_event_that_no_longer_matches(string what, string sql, long firstBroken)
    {
        var accountId = await AccountWithHistory($"cust-chain-{what.Replace(' ', '-')}");
        (await Integrity(accountId))["intact"]!.ToString().Should().Be("True");

        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("id", accountId);
            (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0);
        }

        var report = await Integrity(accountId);
        report["intact"]!.ToString().Should().Be("False", what);
        report["firstBrokenVersion"]!.ToString().Should().Be(firstBroken.ToString(), report["problem"]?.ToString());
    }

    [Fact]
    public async Task The_whole_ledger_verification_command_names_a_tampered_account_and_fails()
    {
        var accountId = await AccountWithHistory("cust-chain-command");
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "update ledger.mt_events set data = jsonb_set(data, '{amount}', '1.00') where stream_id = @id and version = 2", connection);
            command.Parameters.AddWithValue("id", accountId);
            await command.ExecuteNonQueryAsync();
        }

        var (exitCode, output) = await ApiProcess.RunCommandAsync(app.ConnectionString, "verify-ledger");
        exitCode.Should().Be(1, output);
        output.Should().Contain($"BROKEN {accountId} at version 2").And.MatchRegex(@"\d+ accounts verified, [1-9]\d* broken");
    }
}
