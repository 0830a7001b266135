using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// A three-level tree with charges in March and April 2031 (the ledger's clock moved there), several categories, a correction
/// that stands and one reversed, and members in dollars and euros:
/// <code>
/// Globex            Anna (USD, North)   March: telecom 40 − 8 corrected, travel 10 → 42      April: telecom 20 → 20
///   Sales           Ben (USD, North)    March: telecom 25 (a 5 correction, reversed) → 25   April: travel 5, telecom 7 → 12
///     North         Carl (EUR, Sales)   March: telecom 30 → 30                               April: travel 15 → 15
///   Ops             Dora (USD, Ops)     March: hardware 12.50 → 12.50                        April: nothing
/// </code>
/// Budgets: Sales 100 USD, Anna 50 USD, Carl 20 EUR. Dora's holder name starts with '=' (a formula, were it not escaped).
/// </summary>
public sealed record SpendTree(string CorporateId, Guid Root, Guid Sales, Guid Ops, Guid North, Guid Anna, Guid Ben, Guid Carl, Guid Dora)
{
    public const string March = "2031-03";
    public const string April = "2031-04";
    public const string DoraHolder = "=Dora Ops";

    public static async Task<SpendTree> BuildAsync(HttpClient desk, Func<TestUser, HttpClient> clientFor, AdjustableClock clock)
    {
        var corporateId = $"spend-{Guid.NewGuid():N}"[..20];
        var opened = await desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Globex" }).Ok(HttpStatusCode.Created);
        var admin = clientFor(TestUser.CorporateAdmin(corporateId));
        var root = opened["rootId"]!.GetValue<Guid>();
        async Task<Guid> Node(Guid parent, string name, string kind) =>
            NodeNamed(await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = parent, name, kind }).Ok(HttpStatusCode.Created), name);
        var sales = await Node(root, "Sales", "division");
        var ops = await Node(root, "Ops", "division");
        var north = await Node(sales, "North", "costCentre");
        var anna = await desk.OpenAccount($"{corporateId}-anna", holder: "Anna Able");
        var ben = await desk.OpenAccount($"{corporateId}-ben", holder: "Ben Bold");
        var carl = await desk.OpenAccount($"{corporateId}-carl", currency: "EUR", holder: "Carl Euro");
        var dora = await desk.OpenAccount($"{corporateId}-dora", holder: DoraHolder);
        foreach (var (member, node) in new[] { (anna, north), (ben, north), (carl, sales), (dora, ops) })
            await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = node }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{sales}", new { amount = 100m, currency = "USD" }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{anna}", new { amount = 50m, currency = "USD" }).Ok();
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/budgets/{carl}", new { amount = 20m, currency = "EUR" }).Ok();

        Task<Guid> Charge(Guid account, decimal amount, string category) =>
            desk.Post(account, "charges", new { amount, description = $"{category} {amount}", category });
        try
        {
            clock.Offset = new DateTimeOffset(2031, 3, 10, 12, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow;
            var roaming = await Charge(anna, 40m, "telecom");
            await Charge(anna, 10m, "travel");
            var calls = await Charge(ben, 25m, "telecom");
            await Charge(carl, 30m, "telecom");
            await Charge(dora, 12.50m, "hardware");
            clock.Offset = new DateTimeOffset(2031, 4, 12, 12, 0, 0, TimeSpan.Zero) - DateTimeOffset.UtcNow;
            await Charge(anna, 20m, "telecom");
            await Charge(ben, 5m, "travel");
            await Charge(ben, 7m, "telecom");
            await Charge(carl, 15m, "travel");
            await desk.Post(anna, "corrections", new { entryId = roaming, amount = 8m, reason = "Roaming promo" });
            var wrong = await desk.Post(ben, "corrections", new { entryId = calls, amount = 5m, reason = "Wrong line" });
            (await desk.PostAsJsonAsync($"/api/accounts/{ben}/corrections/{wrong}/reversal", new { reason = "It was his line" }))
                .StatusCode.Should().Be(HttpStatusCode.Created);
        }
        finally
        {
            clock.Offset = TimeSpan.Zero;
        }
        return new SpendTree(corporateId, root, sales, ops, north, anna, ben, carl, dora);
    }

    public static Guid NodeNamed(JsonObject tree, string name) =>
        tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<Guid>();
}
