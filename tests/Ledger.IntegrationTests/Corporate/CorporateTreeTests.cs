using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// A corporate customer's tree through the API: the desk opens it, its admin builds three levels and places member accounts,
/// sees those accounts and nothing else, and an auditor reads the tree as it stood before a move.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CorporateTreeTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.corporate"));

    private static Guid NodeNamed(JsonObject tree, string name) =>
        tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<Guid>();

    private static Guid? ParentOf(JsonObject tree, Guid node) =>
        tree["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == node)!["parentId"]?.GetValue<Guid>();

    private async Task<(string CorporateId, HttpClient Admin, JsonObject Tree)> ThreeLevels()
    {
        var corporateId = $"acme-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Acme Ltd" }).Ok(HttpStatusCode.Created);
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        var company = opened["rootId"]!.GetValue<Guid>();
        var tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = company, name = "Sales", kind = "division" }).Ok(HttpStatusCode.Created);
        tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = company, name = "Operations", kind = "division" }).Ok(HttpStatusCode.Created);
        tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
            new { parentId = NodeNamed(tree, "Sales"), name = "North", kind = "costCentre" }).Ok(HttpStatusCode.Created);
        return (corporateId, admin, tree);
    }

    [Fact]
    public async Task An_admin_builds_three_levels_places_members_sees_only_their_accounts_and_the_tree_reads_as_of_before_a_move()
    {
        var (corporateId, admin, tree) = await ThreeLevels();
        var north = NodeNamed(tree, "North");
        var phone = await _desk.OpenAccount($"{corporateId}-phone-1");
        var outsider = await _desk.OpenAccount("cust-not-acme");
        tree = await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{phone}", new { nodeId = north }).Ok();
        tree["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == north)!["members"]!.AsArray().Select(m => m!.GetValue<Guid>())
            .Should().Equal(phone);
        tree["nodes"]!.AsArray().Select(n => n!["depth"]!.GetValue<int>()).Should().BeEquivalentTo([1, 2, 2, 3]);

        (await admin.GetAsync($"/api/accounts/{phone}")).StatusCode.Should().Be(HttpStatusCode.OK, "an admin sees every account under their nodes");
        await (await admin.GetAsync($"/api/accounts/{outsider}")).ShouldBeProblem(HttpStatusCode.NotFound);
        (await admin.GetAsync($"/api/accounts/{phone}/entries")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "an account's lines are its owner's and the desk's");
        await (await admin.GetAsync("/api/corporates/some-other-corporate")).ShouldBeProblem(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync("/api/corporates/some-other-corporate/nodes", new { parentId = north, name = "Mine", kind = "division" }))
            .ShouldBeProblem(HttpStatusCode.NotFound);

        var beforeMove = DateTimeOffset.UtcNow;
        var operations = NodeNamed(tree, "Operations");
        tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/move", new { parentId = operations }).Ok();
        ParentOf(tree, north).Should().Be(operations);
        var auditor = app.ClientFor(TestUser.Auditor());
        var then = await auditor.GetAsync($"/api/corporates/{corporateId}?asOf={Uri.EscapeDataString(beforeMove.ToString("O"))}").Ok();
        ParentOf(then, north).Should().Be(NodeNamed(then, "Sales"), "as of before the move, North was under Sales");
        then["nodes"]!.AsArray().Single(n => n!["id"]!.GetValue<Guid>() == north)!["members"]!.AsArray().Should().ContainSingle();
    }

    [Fact]
    public async Task Cycles_depth_a_member_in_two_trees_and_an_admin_of_one_division_reaching_outside_it_are_refused()
    {
        var (corporateId, admin, tree) = await ThreeLevels();
        var (sales, north) = (NodeNamed(tree, "Sales"), NodeNamed(tree, "North"));
        (await (await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/move", new { parentId = north }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "tree-cycle"))["field"]!.GetValue<string>().Should().Be("parentId");

        var parent = north;
        for (var level = 4; level <= 8; level++)
            parent = NodeNamed(await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
                new { parentId = parent, name = $"Level {level}", kind = "costCentre" }).Ok(HttpStatusCode.Created), $"Level {level}");
        await (await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = parent, name = "Level 9", kind = "costCentre" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "tree-too-deep");

        var (other, otherAdmin, otherTree) = await ThreeLevels();
        var shared = await _desk.OpenAccount($"{corporateId}-shared");
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{shared}", new { nodeId = north }).Ok();
        await (await otherAdmin.PutAsJsonAsync($"/api/corporates/{other}/members/{shared}", new { nodeId = NodeNamed(otherTree, "North") }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "member-of-another-tree");

        var salesAdmin = app.ClientFor(TestUser.CorporateAdmin(corporateId, sales, name: "sales-admin"));
        var seen = await salesAdmin.GetAsync($"/api/corporates/{corporateId}").Ok();
        seen["rootId"]!.GetValue<Guid>().Should().Be(sales);
        seen["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).Should().NotContain(["Operations", "Acme Ltd"]);
        await (await salesAdmin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/move", new { parentId = NodeNamed(tree, "Operations") }))
            .ShouldBeProblem(HttpStatusCode.NotFound, "node-not-found");
        (await salesAdmin.GetAsync($"/api/accounts/{shared}")).StatusCode.Should().Be(HttpStatusCode.OK, "North, where it sits, is under Sales");
    }

    [Fact]
    public async Task Two_admins_moving_one_node_at_once_one_wins_and_the_other_is_told_with_If_Match_or_decided_on_what_the_first_left()
    {
        var (corporateId, admin, tree) = await ThreeLevels();
        var (north, sales, operations) = (NodeNamed(tree, "North"), NodeNamed(tree, "Sales"), NodeNamed(tree, "Operations"));
        var version = tree["version"]!.GetValue<long>();
        var second = app.ClientFor(TestUser.CorporateAdmin(corporateId, name: "second-admin"));
        HttpRequestMessage Move(Guid to) => new(HttpMethod.Post, $"/api/corporates/{corporateId}/nodes/{north}/move")
        {
            Content = JsonContent.Create(new { parentId = to }), Headers = { IfMatch = { new($"\"{version}\"") } },
        };
        var answers = await Task.WhenAll(admin.SendAsync(Move(operations)), second.SendAsync(Move(operations)));
        answers.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.PreconditionFailed]);

        // Without If-Match both are decided in turn: the second finds North already there and is told so.
        var unguarded = await Task.WhenAll(
            admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/move", new { parentId = sales }),
            second.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/move", new { parentId = sales }));
        unguarded.Select(a => a.StatusCode).Should().BeEquivalentTo([HttpStatusCode.OK, HttpStatusCode.Conflict]);
        ParentOf(await admin.GetAsync($"/api/corporates/{corporateId}").Ok(), north).Should().Be(sales);
    }
}
