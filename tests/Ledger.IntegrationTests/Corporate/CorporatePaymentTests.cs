using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// A paying node's payment allocated to its members' charges (oldest first, or as named) and received on each member's own
/// account; repeated with its key it is the same payment; racing payments never pay the same open amount twice.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class CorporatePaymentTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.corporate-payments"));

    private async Task<(string CorporateId, Guid Root, Guid Anna, Guid Ben)> PayingTree()
    {
        var corporateId = $"pay-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Paying Co" }).Ok(HttpStatusCode.Created);
        var root = opened["rootId"]!.GetValue<Guid>();
        var (anna, ben) = (await _desk.OpenAccount($"{corporateId}-anna"), await _desk.OpenAccount($"{corporateId}-ben"));
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}", new { nodeId = root }).Ok();
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{ben}", new { nodeId = root }).Ok();
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{root}/billing", new { mode = "parentPays", currency = "USD" }).Ok();
        return (corporateId, root, anna, ben);
    }

    private static async Task<HttpResponseMessage> Pay(HttpClient client, string corporateId, Guid node, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/corporates/{corporateId}/nodes/{node}/payments") { Content = JsonContent.Create(body) };
        if (key is not null)
            request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_payment_is_allocated_oldest_first_or_as_named_and_shows_on_each_member()
    {
        var (corporateId, root, anna, ben) = await PayingTree();
        var a1 = await _desk.Post(anna, "charges", new { amount = 10m, description = "Calls", category = "voice" });
        var b1 = await _desk.Post(ben, "charges", new { amount = 20m, description = "Roaming", category = "roaming" });
        var a2 = await _desk.Post(anna, "charges", new { amount = 5m, description = "Data", category = "data" });

        var open = JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/open-items"))!.AsArray();
        open.Select(i => (i!["entryId"]!.GetValue<Guid>(), i["outstanding"]!.GetValue<decimal>())).Should().Equal((a1, 10m), (b1, 20m), (a2, 5m));

        // 22.00 oldest first: Anna's 10, then 12 of Ben's 20; each member receives its part on its own account.
        var key = Guid.NewGuid().ToString("N");
        var taken = await (await Pay(_desk, corporateId, root, new { amount = 22m, method = "transfer", reference = "WIRE-77" }, key)).Body();
        taken["allocations"]!.AsArray().Select(a => (a!["entryId"]!.GetValue<Guid>(), a["amount"]!.GetValue<decimal>())).Should().Equal((a1, 10m), (b1, 12m));
        await Poll.Until(async () => (await _desk.Balance(anna), await _desk.Balance(ben)), b => b == (5m, 8m));
        var payments = JsonNode.Parse(await _desk.GetStringAsync($"/api/accounts/{anna}/entries?type=payment"))!.ToJsonString();
        payments.Should().Contain("WIRE-77");

        // The same request again (its key) is the same payment: nothing is received twice.
        var again = await Pay(_desk, corporateId, root, new { amount = 22m, method = "transfer", reference = "WIRE-77" }, key);
        again.StatusCode.Should().Be(HttpStatusCode.OK);
        (await again.Body())["paymentId"]!.GetValue<Guid>().Should().Be(taken["paymentId"]!.GetValue<Guid>());

        // As named: 5 on Anna's data charge, the rest (3) oldest first — the 8 still open on Ben's roaming.
        var named = await (await Pay(_desk, corporateId, root, new { amount = 8m, method = "check", reference = "CHK-1", allocations = new[] { new { entryId = a2, amount = 5m } } }))
            .Body();
        named["allocations"]!.AsArray().Select(a => (a!["entryId"]!.GetValue<Guid>(), a["amount"]!.GetValue<decimal>())).Should().Equal((a2, 5m), (b1, 3m));
        await Poll.Until(async () => (await _desk.Balance(anna), await _desk.Balance(ben)), b => b == (0m, 5m));
        await Task.Delay(500);
        (await _desk.Balance(anna), await _desk.Balance(ben)).Should().Be((0m, 5m), "each part was received once");

        // Beyond what is open, a charge not open, a card: refused naming the field, nothing recorded.
        await (await Pay(_desk, corporateId, root, new { amount = 5.01m, method = "transfer" })).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "payment-exceeds-open-items");
        await (await Pay(_desk, corporateId, root, new { amount = 1m, method = "transfer", allocations = new[] { new { entryId = a1, amount = 1m } } }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "allocation-item-unknown");
        await (await Pay(_desk, corporateId, root, new { amount = 1m, method = "card" })).ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "method-not-allowed");
        JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/payments"))!.AsArray().Count.Should().Be(2);

        // Its corporate admin sees the payments; takes none; another corporate's admin sees nothing.
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        JsonNode.Parse(await admin.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/payments"))!.AsArray().Count.Should().Be(2);
        (await Pay(admin, corporateId, root, new { amount = 1m, method = "transfer" })).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await app.ClientFor(TestUser.CorporateAdmin("pay-stranger")).GetAsync($"/api/corporates/{corporateId}/nodes/{root}/payments"))
            .StatusCode.Should().Be(HttpStatusCode.NotFound);

        // The consolidated bill carries the payments in the members' sections: what is due is what the members still owe.
        var bill = await app.ClientFor(TestUser.Admin("ada.payments")).PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{root}/bills", new { })
            .Ok(HttpStatusCode.Created);
        bill["amountDue"]!.GetValue<decimal>().Should().Be(5m);
    }

    [Fact]
    public async Task Payments_racing_for_one_node_never_pay_the_same_open_amount_twice()
    {
        var (corporateId, root, anna, ben) = await PayingTree();
        await _desk.Post(anna, "charges", new { amount = 17m, description = "Calls", category = "voice" });
        await _desk.Post(ben, "charges", new { amount = 18m, description = "Calls", category = "voice" });
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Pay(_desk, corporateId, root, new { amount = 8m, method = "transfer" })));
        var statuses = answers.Select(a => a.StatusCode).ToList();
        statuses.Count(s => s == HttpStatusCode.Created).Should().Be(4, "35 open pays four payments of 8, not five");
        statuses.Count(s => s == HttpStatusCode.UnprocessableEntity).Should().Be(2);
        await Poll.Until(async () => await _desk.Balance(anna) + await _desk.Balance(ben), total => total == 3m);
        var open = JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/open-items"))!.AsArray();
        open.Sum(i => i!["outstanding"]!.GetValue<decimal>()).Should().Be(3m);
    }
}
