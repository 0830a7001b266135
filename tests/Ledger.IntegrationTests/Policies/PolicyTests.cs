using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Policies;

[Collection(LedgerCollection.Name)]
public sealed class PolicyTests(LedgerApp app)
{
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _csr = app.ClientFor(TestUser.Csr("csr.policy"));

    [Fact]
    public async Task A_policy_change_mid_day_applies_to_later_requests_only_and_is_itself_an_audited_event()
    {
        var accountId = await _csr.OpenAccount("cust-policy");
        var before = await (await _csr.GetAsync("/api/policy")).Body();
        var version = before["version"]!.GetValue<long>();
        var limits = before["limits"]!.AsObject();
        limits["csr"]!["maxSingleCredit"]!.GetValue<decimal>().Should().Be(100m);

        var early = await _csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 120m, reasonCode = "goodwill", reason = "r" });
        early.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var raised = JsonNode.Parse(limits.ToJsonString())!.AsObject();
        raised["csr"]!["maxSingleCredit"] = 150m;
        try
        {
            var stale = new HttpRequestMessage(HttpMethod.Put, "/api/policy") { Content = JsonContent.Create(new { limits = raised, reason = "x" }) };
            stale.Headers.TryAddWithoutValidation("If-Match", $"\"{version - 1}\"");
            await (await _admin.SendAsync(stale)).ShouldBeProblem(HttpStatusCode.PreconditionFailed, "version-mismatch");
            await (await _csr.PutAsJsonAsync("/api/policy", new { limits = raised, reason = "CSR asking" })).ShouldBeProblem(HttpStatusCode.Forbidden);

            var change = await _admin.PutAsJsonAsync("/api/policy", new { limits = raised, reason = "Winter storm goodwill" });
            change.StatusCode.Should().Be(HttpStatusCode.OK, await change.Content.ReadAsStringAsync());
            (await (await _csr.GetAsync("/api/policy")).Body())["version"]!.GetValue<long>().Should().Be(version + 1);

            var late = await _csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 120.01m, reasonCode = "goodwill", reason = "r" });
            late.StatusCode.Should().Be(HttpStatusCode.Created);
            (await app.LastEventData(accountId)).Should().Contain($"\"policyVersion\": {version + 1}").And.Contain("\"limit\": \"csr.within-limits\"");

            var earlyApproval = await (await app.ClientFor(TestUser.Manager()).GetAsync(early.Headers.Location)).Body();
            earlyApproval["status"]!.GetValue<string>().Should().Be("pending", "a later policy does not reach back to decided or pending requests");
            earlyApproval["policyVersion"]!.GetValue<long>().Should().Be(version);
        }
        finally
        {
            (await _admin.PutAsJsonAsync("/api/policy", new { limits, reason = "Back to normal" })).StatusCode.Should().Be(HttpStatusCode.OK);
        }
        (await app.PolicyChanges()).Should().BeGreaterThanOrEqualTo(3, "the initial policy, the raise and the restore are each an event");
    }

    [Fact]
    public async Task Invalid_policies_are_refused_naming_the_rule()
    {
        var current = (await (await _admin.GetAsync("/api/policy")).Body())["limits"]!.AsObject();
        var inverted = JsonNode.Parse(current.ToJsonString())!.AsObject();
        inverted["manager"]!["maxSingleCredit"] = 1m;
        await (await _admin.PutAsJsonAsync("/api/policy", new { limits = inverted, reason = "oops" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "policy-manager-below-csr");
        await (await _admin.PutAsJsonAsync("/api/policy", new { limits = current, reason = "same" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "policy-unchanged");
        await (await _admin.PutAsJsonAsync("/api/policy", new { reason = "nothing" }))
            .ShouldBeProblem(HttpStatusCode.BadRequest, "invalid-request");
    }

    [Fact]
    public async Task Me_limits_shows_what_a_CSR_may_still_credit_today()
    {
        using var csr = app.ClientFor(TestUser.Csr("csr.me"));
        var accountId = await csr.OpenAccount("cust-me");
        await csr.Post(accountId, "credits", new { amount = 40m, reasonCode = "goodwill", reason = "r" });
        var me = await (await csr.GetAsync("/api/me/limits")).Body();
        me["creditedToday"]!.GetValue<decimal>().Should().Be(40m);
        me["remainingToday"]!.GetValue<decimal>().Should().Be(me["dailyCreditTotal"]!.GetValue<decimal>() - 40m);
        me["role"]!.GetValue<string>().Should().Be("csr");
    }
}
