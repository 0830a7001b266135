using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Npgsql;

namespace Ledger.IntegrationTests.Policies;

/// <summary>
/// Before saving new limits, an admin replays the desk's recent decisions against them: a hand-computed case through the
/// real write path, and the simulation writes nothing.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class PolicySimulationTests(LedgerApp app)
{
    private async Task<long> Scalar(string sql, string value)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("v", value);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static object Credit(decimal amount, string? overrideReason = null) => new { amount, reasonCode = "goodwill", reason = "Outage", overrideReason };

    [Fact]
    public async Task Recent_decisions_replayed_against_proposed_limits_show_what_would_have_gone_otherwise_and_nothing_is_written()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var csr = app.ClientFor(TestUser.Csr($"csr.sim-{suffix}"));
        var manager = app.ClientFor(TestUser.Manager($"mgr.sim-{suffix}"));
        var admin = app.ClientFor(TestUser.Admin($"ada.sim-{suffix}"));
        var (a, b, c) = (await csr.OpenAccount($"sim-a-{suffix}"), await csr.OpenAccount($"sim-b-{suffix}"), await csr.OpenAccount($"sim-c-{suffix}"));
        foreach (var account in new[] { a, b, c })
            await csr.Post(account, "charges", new { amount = 900m, description = "Supply", category = "energy" });
        var charge = await csr.Post(a, "charges", new { amount = 400m, description = "Install", category = "energy" });

        // What happened, under the policy in force (CSR: 100 a credit, 500 a day, 300 an account in 30 days, 200 a correction):
        await csr.Post(a, "credits", Credit(80m));                                                               // applied
        await csr.Post(a, "credits", Credit(90m));                                                               // applied
        (await csr.PostAsJsonAsync($"/api/accounts/{b}/credits", Credit(150m))).StatusCode.Should().Be(HttpStatusCode.Accepted); // approval
        await csr.Post(b, "credits", Credit(60m));                                                               // applied
        await csr.Post(a, "corrections", new { entryId = charge, amount = 150m, reason = "Meter misread" });     // applied
        await manager.Post(c, "credits", Credit(120m, "Storm damage"));                                          // applied, overriding the CSR's 100
        await manager.Post(c, "credits", Credit(95m));                                                           // applied within a CSR's limits

        var policy = (await admin.GetAsync("/api/policy").Ok())["limits"]!.AsObject();
        var proposed = policy.DeepClone().AsObject();
        proposed["csr"]!["maxSingleCredit"] = 85m;
        proposed["csr"]!["dailyCreditTotal"] = 200m;
        proposed["csr"]!["maxSingleCorrection"] = 100m;
        var eventsBefore = await Scalar("select count(*) from ledger.mt_events where user_name like @v", $"%.sim-{suffix}");

        var report = await admin.PostAsJsonAsync("/api/policy/simulations", new { limits = proposed, days = 1 }).Ok();

        var mine = report["byPoster"]!.AsArray().Where(p => p!["userId"]!.GetValue<string>().EndsWith(suffix, StringComparison.Ordinal))
            .ToDictionary(p => p!["role"]!.GetValue<string>(), p => p!);
        Counts(mine["csr"]["actual"]!).Should().Be((4, 1, 0));
        Counts(mine["csr"]["proposed"]!).Should().Be((1, 4, 0), "90 over 85; 60 after 170 that day over 200; the correction over 100");
        (mine["csr"]["changed"]!.GetValue<int>(), mine["csr"]["appliedActual"]!.GetValue<decimal>(), mine["csr"]["appliedProposed"]!.GetValue<decimal>())
            .Should().Be((3, 380m, 80m));
        Counts(mine["manager"]["proposed"]!).Should().Be((1, 0, 1), "95 is over the proposed CSR limit and was given no override reason");
        var differences = report["differences"]!.AsArray().Where(d => d!["userId"]!.GetValue<string>().EndsWith(suffix, StringComparison.Ordinal))
            .Select(d => (d!["amount"]!.GetValue<decimal>(), d["actual"]!.GetValue<string>(), d["proposed"]!.GetValue<string>(), d["proposedLimit"]!.GetValue<string>()))
            .ToList();
        differences.Should().Equal((90m, "applied", "approval", "csr.max-single-credit"), (60m, "applied", "approval", "csr.daily-credit-total"),
            (150m, "applied", "approval", "csr.max-single-correction"), (95m, "applied", "refused", "override-reason-required-for-csr.max-single-credit"));

        // Read-only: nothing recorded by anyone involved, and the limits in force are as they were.
        (await Scalar("select count(*) from ledger.mt_events where user_name like @v", $"%.sim-{suffix}")).Should().Be(eventsBefore);
        (await admin.GetAsync("/api/policy").Ok())["limits"]!.ToJsonString().Should().Be(policy.ToJsonString());

        // Bad proposals are named; only admins simulate.
        await (await admin.PostAsJsonAsync("/api/policy/simulations", new { limits = proposed, days = 0 })).ShouldBeProblem(HttpStatusCode.BadRequest);
        (await csr.PostAsJsonAsync("/api/policy/simulations", new { limits = proposed, days = 1 })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    private static (int, int, int) Counts(JsonNode counts) =>
        (counts["applied"]!.GetValue<int>(), counts["approval"]!.GetValue<int>(), counts["refused"]!.GetValue<int>());
}
