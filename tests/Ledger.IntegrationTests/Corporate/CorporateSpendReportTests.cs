using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using static Ledger.IntegrationTests.Corporate.SpendTree;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// The corporate admin's spend report on <see cref="SpendTree"/>: every figure computed by hand from its charges, the budgets
/// that apply, the part a division's admin sees, the CSV beside the JSON, and the refusals.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CorporateSpendReportTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.spend"));

    private static async Task<JsonObject> Report(HttpClient client, string corporateId, string query = $"from={March}&to={April}")
    {
        var response = await client.GetAsync($"/api/corporates/{corporateId}/spend?{query}");
        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static IEnumerable<(string Month, string Currency, decimal Spend, decimal? Budget, decimal? Percent)> Lines(JsonObject report, string section,
        string idField, Guid id) =>
        report[section]!.AsArray().Where(l => l![idField]!.GetValue<Guid>() == id)
            .Select(l => (l!["month"]!.GetValue<string>(), l["currency"]!.GetValue<string>(), l["spend"]!.GetValue<decimal>(),
                l["budget"]?.GetValue<decimal>(), l["percentUsed"]?.GetValue<decimal>()));

    private static IEnumerable<(string, string, decimal)> Figures(JsonObject report, string section, string key) =>
        report[section]!.AsArray().Select(l => (l![key]!.GetValue<string>(), l["currency"]!.GetValue<string>(), l["spend"]!.GetValue<decimal>()));

    [Fact]
    public async Task The_report_gives_spend_per_month_node_member_and_category_against_budgets_and_a_division_admin_sees_only_theirs()
    {
        var tree = await BuildAsync(_desk, app.ClientFor, app.Clock);
        var admin = app.ClientFor(TestUser.CorporateAdmin(tree.CorporateId));
        var report = await Report(admin, tree.CorporateId);

        report["months"]!.AsArray().Select(m => m!.GetValue<string>()).Should().Equal(March, April);
        report["rootId"]!.GetValue<Guid>().Should().Be(tree.Root);
        report["totals"]!.AsArray().Select(t => (t!["currency"]!.GetValue<string>(), t["spend"]!.GetValue<decimal>()))
            .Should().Equal(("EUR", 45m), ("USD", 111.50m));
        Figures(report, "periods", "month").Should().Equal((March, "EUR", 30m), (March, "USD", 79.50m), (April, "EUR", 15m), (April, "USD", 32m));
        report["categories"]!.AsArray().Select(c => (c!["month"]!.GetValue<string>(), c["category"]!.GetValue<string>(), c["currency"]!.GetValue<string>(),
                c["spend"]!.GetValue<decimal>()))
            .Should().Equal((March, "hardware", "USD", 12.50m), (March, "telecom", "EUR", 30m), (March, "telecom", "USD", 57m), (March, "travel", "USD", 10m),
                (April, "telecom", "USD", 27m), (April, "travel", "EUR", 15m), (April, "travel", "USD", 5m));

        Lines(report, "members", "accountId", tree.Anna).Should().Equal((March, "USD", 42m, 50m, 84.0m), (April, "USD", 20m, 50m, 40.0m));
        Lines(report, "members", "accountId", tree.Ben).Should().Equal((March, "USD", 25m, null, null), (April, "USD", 12m, null, null));
        Lines(report, "members", "accountId", tree.Carl).Should().Equal((March, "EUR", 30m, 20m, 150.0m), (April, "EUR", 15m, 20m, 75.0m));
        Lines(report, "members", "accountId", tree.Dora).Should().Equal((March, "USD", 12.50m, null, null), (April, "USD", 0m, null, null));
        var anna = report["members"]!.AsArray().First(m => m!["accountId"]!.GetValue<Guid>() == tree.Anna)!;
        (anna["holderName"]!.GetValue<string>(), anna["nodeId"]!.GetValue<Guid>(), anna["nodePath"]!.GetValue<string>())
            .Should().Be(("Anna Able", tree.North, "Globex / Sales / North"));
        anna["accountNumber"]!.GetValue<string>().Should().NotBeNullOrEmpty();

        Lines(report, "nodes", "nodeId", tree.Root).Should().Equal((March, "EUR", 30m, null, null), (March, "USD", 79.50m, null, null),
            (April, "EUR", 15m, null, null), (April, "USD", 32m, null, null));
        Lines(report, "nodes", "nodeId", tree.Sales).Should().Equal((March, "EUR", 30m, null, null), (March, "USD", 67m, 100m, 67.0m),
            (April, "EUR", 15m, null, null), (April, "USD", 32m, 100m, 32.0m));
        Lines(report, "nodes", "nodeId", tree.North).Should().Equal((March, "USD", 67m, null, null), (April, "USD", 32m, null, null));
        Lines(report, "nodes", "nodeId", tree.Ops).Should().Equal((March, "USD", 12.50m, null, null), (April, "USD", 0m, null, null));
        report["nodes"]!.AsArray().Where(n => n!["month"]!.GetValue<string>() == March).Select(n => n!["path"]!.GetValue<string>()).Distinct()
            .Should().Equal("Globex", "Globex / Ops", "Globex / Sales", "Globex / Sales / North");

        // A division's admin: Sales and what is under it, the paths starting there; Ops and Dora are not theirs.
        var division = await Report(app.ClientFor(TestUser.CorporateAdmin(tree.CorporateId, tree.Sales)), tree.CorporateId);
        division["rootId"]!.GetValue<Guid>().Should().Be(tree.Sales);
        division["totals"]!.AsArray().Select(t => (t!["currency"]!.GetValue<string>(), t["spend"]!.GetValue<decimal>())).Should().Equal(("EUR", 45m), ("USD", 99m));
        division["members"]!.AsArray().Select(m => m!["accountId"]!.GetValue<Guid>()).Distinct().Should().BeEquivalentTo([tree.Anna, tree.Ben, tree.Carl]);
        division["nodes"]!.AsArray().Select(n => n!["path"]!.GetValue<string>()).Distinct().Should().Equal("Sales", "Sales / North");
        Lines(division, "nodes", "nodeId", tree.Sales).Should().Equal(Lines(report, "nodes", "nodeId", tree.Sales));
        division["categories"]!.AsArray().Should().NotContain(c => c!["category"]!.GetValue<string>() == "hardware");

        // The desk and auditors see the whole tree, as its admin does.
        (await Report(app.ClientFor(TestUser.Auditor()), tree.CorporateId))["totals"]!.ToJsonString().Should().Be(report["totals"]!.ToJsonString());
    }

    [Fact]
    public async Task The_csv_holds_every_line_of_the_json_and_escapes_a_formula_in_a_name()
    {
        var tree = await BuildAsync(_desk, app.ClientFor, app.Clock);
        var admin = app.ClientFor(TestUser.CorporateAdmin(tree.CorporateId));
        var report = await Report(admin, tree.CorporateId);
        var response = await admin.GetAsync($"/api/corporates/{tree.CorporateId}/spend?from={March}&to={April}&format=csv");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileNameStar.Should().Be($"corporate-{tree.CorporateId}-spend-{March}-{April}.csv");
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());

        rows[0].Should().Equal("kind", "month", "id", "path", "accountNumber", "holderName", "category", "currency", "spend", "budget", "percentUsed");
        var count = new[] { "totals", "periods", "nodes", "members", "categories" }.Sum(s => report[s]!.AsArray().Count);
        rows.Should().HaveCount(1 + count, "one row per line of every section");
        var anna = report["members"]!.AsArray().Single(m => m!["accountId"]!.GetValue<Guid>() == tree.Anna && m["month"]!.GetValue<string>() == March)!;
        rows.Single(r => r[0] == "member" && r[1] == March && r[2] == tree.Anna.ToString()).Should().Equal("member", March, tree.Anna.ToString(),
            "Globex / Sales / North", anna["accountNumber"]!.GetValue<string>(), "Anna Able", "", "USD", "42", "50", "84");
        rows.Single(r => r[0] == "node" && r[1] == April && r[2] == tree.Sales.ToString() && r[7] == "USD")
            .Should().Equal("node", April, tree.Sales.ToString(), "Globex / Sales", "", "", "", "USD", "32", "100", "32");
        rows.Should().ContainEquivalentOf(new[] { "total", $"{March}/{April}", "", "", "", "", "", "USD", "111.50", "", "" });
        rows.Should().ContainEquivalentOf(new[] { "category", March, "", "", "", "", "telecom", "USD", "57", "", "" });
        var dora = rows.First(r => r[0] == "member" && r[2] == tree.Dora.ToString());
        dora[5].Should().NotStartWith("=", "a name that starts a formula is escaped").And.EndWith(DoraHolder);
    }

    [Fact]
    public async Task Bad_months_are_400_naming_the_field_another_tree_is_404_and_a_customer_403()
    {
        var corporateId = $"spend-{Guid.NewGuid():N}"[..20];
        await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Initech" }).Ok(HttpStatusCode.Created);
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        foreach (var (query, rule, field) in new[]
                 {
                     ("from=2031-3&to=2031-04", "month-invalid", "from"), ("from=2031-01&to=2031-13", "month-invalid", "to"),
                     ("from=9999-12", "month-invalid", "from"), ("from=2031-05&to=2031-04", "range-inverted", "from"),
                     ("to=2031-04&from=2029-04", "range-too-long", "from"), ("from=", "month-invalid", "from"), ("from=2099-01", "range-inverted", "from"),
                     ("from=2031-01&to=2031-02&format=xml", "format-unknown", "format"),
                 })
        {
            var problem = await (await admin.GetAsync($"/api/corporates/{corporateId}/spend?{query}")).ShouldBeProblem(HttpStatusCode.BadRequest, rule);
            problem["field"]!.GetValue<string>().Should().Be(field, query);
        }
        await (await admin.GetAsync($"/api/corporates/{corporateId}/budgets?month=9999-12")).ShouldBeProblem(HttpStatusCode.BadRequest, "month-invalid");
        (await admin.GetAsync($"/api/corporates/{corporateId}/spend?from=2029-05&to=2031-04")).StatusCode.Should().Be(HttpStatusCode.OK, "24 months");
        var empty = await Report(admin, corporateId);
        empty["totals"]!.AsArray().Should().BeEmpty("a tree without members spent nothing");

        var other = app.ClientFor(TestUser.CorporateAdmin($"other-{Guid.NewGuid():N}"[..20]));
        await (await other.GetAsync($"/api/corporates/{corporateId}/spend")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/corporates/no-such-corporate/spend")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await app.ClientFor(TestUser.Customer(corporateId)).GetAsync($"/api/corporates/{corporateId}/spend")).StatusCode
            .Should().Be(HttpStatusCode.Forbidden);
    }
}
