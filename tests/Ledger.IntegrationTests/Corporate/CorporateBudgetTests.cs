using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Npgsql;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// Budgets on a three-level tree: charges to member accounts reach the thresholds of a division's and a member's budgets,
/// and each alert is raised once however many charges follow (from the async daemon, after the charges committed).
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CorporateBudgetTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.budgets"));

    private async Task<int> Alerts(Guid treeId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from ledger.mt_events where stream_id = @id and type = 'corporate_budget_alerted'", connection);
        command.Parameters.AddWithValue("id", treeId);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Charges_to_members_raise_each_budget_threshold_once_per_node_and_member()
    {
        var corporateId = $"budget-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Budget Co" }).Ok(HttpStatusCode.Created);
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        var treeId = opened["treeId"]!.GetValue<Guid>();
        var tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
            new { parentId = opened["rootId"]!.GetValue<Guid>(), name = "Sales", kind = "division" }).Ok(HttpStatusCode.Created);
        var sales = tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "Sales")!["id"]!.GetValue<Guid>();
        tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = sales, name = "North", kind = "costCentre" }).Ok(HttpStatusCode.Created);
        var north = tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "North")!["id"]!.GetValue<Guid>();
        var (anna, ben) = (await _desk.OpenAccount($"{corporateId}-anna"), await _desk.OpenAccount($"{corporateId}-ben"));
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}", new { nodeId = north }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{ben}", new { nodeId = north }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{sales}", new { amount = 100m, currency = "usd" }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{anna}", new { amount = 40m, currency = "USD", thresholds = new[] { 100 } }).Ok();
        await (await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{Guid.NewGuid()}", new { amount = 1m, currency = "USD" }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "node-not-found");

        async Task<JsonArray> Budgets() => JsonNode.Parse(await admin.GetStringAsync($"/api/corporates/{corporateId}/budgets"))!.AsArray();
        JsonNode Of(JsonArray budgets, Guid target) => budgets.Single(b => b!["targetId"]!.GetValue<Guid>() == target)!;

        await _desk.Post(anna, "charges", new { amount = 45m, description = "Roaming", category = "telecom" });
        await _desk.Post(ben, "charges", new { amount = 35m, description = "Calls", category = "telecom" });
        var budgets = await Poll.Until(Budgets, b => Of(b, sales)["alerted"]!.AsArray().Count == 1 && Of(b, anna)["alerted"]!.AsArray().Count == 1);
        (Of(budgets, sales)["spent"]!.GetValue<decimal>(), Of(budgets, sales)["percent"]!.GetValue<decimal>()).Should().Be((80m, 80m));
        Of(budgets, sales)["alerted"]!.AsArray().Select(t => t!.GetValue<int>()).Should().Equal(80);
        Of(budgets, anna)["alerted"]!.AsArray().Select(t => t!.GetValue<int>()).Should().Equal(100);

        // More charges, some at once: 80 % is not raised again; 100 % once when reached.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _desk.Post(ben, "charges", new { amount = 2m, description = "Data", category = "telecom" })));
        await _desk.Post(ben, "charges", new { amount = 15m, description = "Calls", category = "telecom" });
        budgets = await Poll.Until(Budgets, b => Of(b, sales)["alerted"]!.AsArray().Count == 2);
        Of(budgets, sales)["alerted"]!.AsArray().Select(t => t!.GetValue<int>()).Should().Equal(80, 100);
        await _desk.Post(anna, "charges", new { amount = 1m, description = "SMS", category = "telecom" });
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await Alerts(treeId)).Should().Be(3, "Sales at 80 and 100 %, Anna at 100 %: each once");

        // An auditor replays the budgets as they stood at any moment.
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{sales}", new { amount = 250m, currency = "USD" }).Ok();
        var auditor = app.ClientFor(TestUser.Auditor("ann.budgets"));
        decimal SalesBudget(JsonObject tree) => tree["budgets"]!.AsArray().Single(b => b!["targetId"]!.GetValue<Guid>() == sales)!["amount"]!.GetValue<decimal>();
        SalesBudget(await auditor.GetAsync($"/api/corporates/{corporateId}?asOf={Uri.EscapeDataString(before.ToString("O"))}").Ok()).Should().Be(100m);
        SalesBudget(await auditor.GetAsync($"/api/corporates/{corporateId}").Ok()).Should().Be(250m);
    }
}
