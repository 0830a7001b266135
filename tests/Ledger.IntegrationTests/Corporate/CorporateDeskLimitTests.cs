using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Npgsql;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// A corporate customer's own desk limits: credits to its members are decided under them (and say so, with their version),
/// every other account under the limits policy; each change is versioned, audited and guarded by If-Match.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CorporateDeskLimitTests(LedgerApp app)
{
    private readonly HttpClient _csr = app.ClientFor(TestUser.Csr("csr.desk-limits"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin("ada.desk-limits"));

    private async Task<string> AuthorizationOf(Guid entryId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select (data->'authorization'->>'limit') || ' v' || (data->'authorization'->>'policyVersion') from ledger.mt_events " +
            "where type = 'credit_issued' and data->>'entryId' = @id", connection);
        command.Parameters.AddWithValue("id", entryId.ToString());
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static object Credit(decimal amount) => new { amount, reasonCode = "goodwill", reason = "Outage" };

    [Fact]
    public async Task Credits_to_a_corporate_customers_members_are_decided_under_its_own_limits_and_the_change_is_audited()
    {
        var corporateId = $"lim-{Guid.NewGuid():N}"[..20];
        var opened = await _csr.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Tight Co" }).Ok(HttpStatusCode.Created);
        var member = await _csr.OpenAccount($"{corporateId}-m");
        var outsider = await _csr.OpenAccount($"{corporateId}-o");
        await _csr.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = opened["rootId"]!.GetValue<Guid>() }).Ok();
        foreach (var account in new[] { member, outsider })
            await _csr.Post(account, "charges", new { amount = 500m, description = "Install", category = "internet" });

        var limits = await _csr.GetAsync($"/api/corporates/{corporateId}/limits").Ok();
        (limits["version"]!.GetValue<long>(), limits["limits"]).Should().Be((0L, null));
        var policy = (await _csr.GetAsync("/api/policy").Ok())["limits"]!.AsObject();
        var tight = policy.DeepClone().AsObject();
        tight["csr"]!["maxSingleCredit"] = 20m;

        // Admins only; a reason is required; an unknown customer is 404.
        (await _csr.PutAsJsonAsync($"/api/corporates/{corporateId}/limits", new { limits = tight, reason = "Key account" })).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);
        await (await _admin.PutAsJsonAsync($"/api/corporates/{corporateId}/limits", new { limits = tight })).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await _admin.PutAsJsonAsync("/api/corporates/no-such-corporate/limits", new { limits = tight, reason = "x" })).StatusCode
            .Should().Be(HttpStatusCode.NotFound);
        await _admin.PutAsJsonAsync($"/api/corporates/{corporateId}/limits", new { limits = tight, reason = "Key account: credits over 20 need a manager" }).Ok();

        // 30.00 to the member asks a manager, under the customer's limits; to anyone else it is within the CSR's 100.00.
        var asked = await _csr.PostAsJsonAsync($"/api/accounts/{member}/credits", Credit(30m));
        asked.StatusCode.Should().Be(HttpStatusCode.Accepted);
        (await asked.Body())["exceededLimit"]!.GetValue<string>().Should().Be($"corporate:{corporateId}/csr.max-single-credit");
        (await _csr.PostAsJsonAsync($"/api/accounts/{outsider}/credits", Credit(30m))).StatusCode.Should().Be(HttpStatusCode.Created);
        var within = await _csr.Post(member, "credits", Credit(15m));
        (await AuthorizationOf(within)).Should().Be($"corporate:{corporateId}/csr.within-limits v1");

        // A stale change is refused; the history says who, when and why; back to the policy, 30.00 is within limits again.
        using (var stale = new HttpRequestMessage(HttpMethod.Put, $"/api/corporates/{corporateId}/limits")
               { Content = JsonContent.Create(new { limits = (object?)null, reason = "Back to the policy" }) })
        {
            stale.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
            (await _admin.SendAsync(stale)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        }
        var history = JsonNode.Parse(await _csr.GetStringAsync($"/api/corporates/{corporateId}/limits/history"))!.AsArray();
        history.Single()!["changedBy"]!.GetValue<string>().Should().Be("ada.desk-limits");
        history.Single()!["reason"]!.GetValue<string>().Should().StartWith("Key account");
        await _admin.PutAsJsonAsync($"/api/corporates/{corporateId}/limits", new { limits = (object?)null, reason = "Back to the policy" }).Ok();
        var again = await _csr.Post(member, "credits", Credit(30m));
        (await AuthorizationOf(again)).Should().Be($"csr.within-limits v{(await _csr.GetAsync("/api/policy").Ok())["version"]}");
        JsonNode.Parse(await _csr.GetStringAsync($"/api/corporates/{corporateId}/limits/history"))!.AsArray().Count.Should().Be(2);
    }
}
