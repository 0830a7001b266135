using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Corporate;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// Profile templates on a tree: a member given one gets its budget (alerted like any) and its allowed categories — a charge
/// outside them is taken as the rating system sent it and flagged for the corporate admin, once however often it is checked.
/// </summary>
internal static class NamedProblems
{
    /// <summary>A problem answer naming this rule and this field.</summary>
    public static async Task Named(this Task<HttpResponseMessage> sending, HttpStatusCode status, string rule, string field) =>
        (await (await sending).ShouldBeProblem(status, rule))["field"]!.GetValue<string>().Should().Be(field);
}

[Collection(LedgerCollection.Name)]
public sealed class CorporateTemplateTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.templates"));

    private async Task<int> Count(Guid treeId, string type)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from ledger.mt_events where stream_id = @id and type = @type", connection);
        command.Parameters.AddWithValue("id", treeId);
        command.Parameters.AddWithValue("type", type);
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_members_template_sets_its_budget_and_flags_charges_outside_its_categories_once()
    {
        var corporateId = $"tpl-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Template Co" }).Ok(HttpStatusCode.Created);
        var treeId = opened["treeId"]!.GetValue<Guid>();
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        var tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
            new { parentId = opened["rootId"]!.GetValue<Guid>(), name = "Field", kind = "division" }).Ok(HttpStatusCode.Created);
        var field = tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == "Field")!["id"]!.GetValue<Guid>();
        var fieldAdmin = app.ClientFor(TestUser.CorporateAdmin(corporateId, field, "field.admin"));
        var (anna, ben) = (await _desk.OpenAccount($"{corporateId}-anna"), await _desk.OpenAccount($"{corporateId}-ben"));
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}", new { nodeId = field }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{ben}", new { nodeId = field }).Ok();

        // Only an admin of the whole tree defines templates; bad values are named.
        await (await fieldAdmin.PutAsJsonAsync($"/api/corporates/{corporateId}/templates/engineer", new { name = "Field engineer" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "whole-tree-only");
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/templates/engineer", new { name = "Field engineer", monthlyBudget = 50m })
            .Named(HttpStatusCode.UnprocessableEntity, "currency-unknown", "currency");
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/templates/Engineer%20One", new { name = "Field engineer" })
            .Named(HttpStatusCode.UnprocessableEntity, "template-code-invalid", "code");
        tree = await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/templates/engineer",
            new { name = "Field engineer", monthlyBudget = 50m, currency = "usd", allowedCategories = new[] { "Voice", "data" } }).Ok();
        tree["templates"]!.AsArray().Single()!["allowedCategories"]!.AsArray().Select(c => c!.GetValue<string>()).Should().Equal("data", "voice");

        // A limited admin gives the template to a member under their node; an unknown template is named.
        await fieldAdmin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}/template", new { template = "pilot" })
            .Named(HttpStatusCode.UnprocessableEntity, "template-not-found", "template");
        await (await fieldAdmin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{Guid.NewGuid()}/template", new { template = "engineer" }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "member-not-found");
        tree = await fieldAdmin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}/template", new { template = "engineer" }).Ok();
        tree["memberTemplates"]!.AsArray().Single()!["accountId"]!.GetValue<Guid>().Should().Be(anna);

        // Charges are never refused for their category: the charge is a fact from the rating system.
        var roaming = await _desk.Post(anna, "charges", new { amount = 30m, description = "Roaming day pass", category = "roaming" });
        await _desk.Post(anna, "charges", new { amount = 12m, description = "Data bundle", category = "data" });
        await _desk.Post(ben, "charges", new { amount = 99m, description = "Roaming week", category = "roaming" }); // no template
        var flags = await Poll.Until(async () => JsonNode.Parse(await admin.GetStringAsync($"/api/corporates/{corporateId}/flagged-charges"))!.AsArray(),
            f => f.Count >= 1);
        var flag = flags.Single()!;
        (flag["id"]!.GetValue<Guid>(), flag["accountId"]!.GetValue<Guid>(), flag["category"]!.GetValue<string>(), flag["amount"]!.GetValue<decimal>(),
            flag["currency"]!.GetValue<string>(), flag["templateCode"]!.GetValue<string>()).Should().Be((roaming, anna, "roaming", 30m, "USD", "engineer"));

        // The template's budget is Anna's: 42 of 50 is 84 %, alerted at 80 once.
        var budgets = await Poll.Until(async () => JsonNode.Parse(await admin.GetStringAsync($"/api/corporates/{corporateId}/budgets"))!.AsArray(),
            b => b.Count == 1 && b[0]!["alerted"]!.AsArray().Count == 1);
        (budgets[0]!["targetId"]!.GetValue<Guid>(), budgets[0]!["fromTemplate"]!.GetValue<string>(), budgets[0]!["spent"]!.GetValue<decimal>())
            .Should().Be((anna, "engineer", 42m));

        // The same charge checked again, five times at once (a redelivery, a replayed subscription): still one flag.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .InvokeAsync(new CheckChargeCategory(anna, roaming, "roaming", "Roaming day pass", 30m, DateTimeOffset.UtcNow));
        }));
        (await Count(treeId, "corporate_charge_flagged")).Should().Be(1);

        // Another corporate's admin, and a bad month, are refused; the month filter applies.
        var stranger = app.ClientFor(TestUser.CorporateAdmin("someone-else"));
        (await stranger.GetAsync($"/api/corporates/{corporateId}/flagged-charges")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        await admin.GetAsync($"/api/corporates/{corporateId}/flagged-charges?month=2026-13")
            .Named(HttpStatusCode.BadRequest, "month-invalid", "month");
        JsonNode.Parse(await admin.GetStringAsync($"/api/corporates/{corporateId}/flagged-charges?month=2001-01"))!.AsArray().Should().BeEmpty();

        // Taking the template away: new charges outside its categories are no longer flagged.
        await fieldAdmin.DeleteAsync($"/api/corporates/{corporateId}/members/{anna}/template").Ok();
        await _desk.Post(anna, "charges", new { amount = 5m, description = "Roaming again", category = "roaming" });
        await Task.Delay(TimeSpan.FromSeconds(2));
        (await Count(treeId, "corporate_charge_flagged")).Should().Be(1);
    }
}
