using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Ledger.IntegrationTests.Corporate;

/// <summary>
/// Parent pays: a division's members' activity on one consolidated bill with a section per member and cost centre, equal to
/// the sum of what happened on the members' accounts; issued once, reprinted byte for byte (signed, after later postings and
/// with its stored copy lost); a member moved during the run is moved on the next bill; the members' own bills stop.
/// </summary>
/// <summary>Cost centre, then account number, compared ordinally (as the bill orders its sections).</summary>
internal sealed class StringPairs : IComparer<(string, string)>
{
    public static readonly StringPairs Instance = new();

    public int Compare((string, string) x, (string, string) y) =>
        string.CompareOrdinal(x.Item1, y.Item1) is var first and not 0 ? first : string.CompareOrdinal(x.Item2, y.Item2);
}

[Collection(LedgerCollection.Name)]
public sealed class ConsolidatedBillTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.consolidated"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin("ada.consolidated"));

    private async Task<long> Scalar(string sql, Guid? id = null)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (id is { } value)
            command.Parameters.AddWithValue("id", value);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    private static Guid Node(JsonObject tree, string name) => tree["nodes"]!.AsArray().Single(n => n!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<Guid>();

    [Fact]
    public async Task A_paying_division_gets_one_bill_for_its_members_that_sums_their_activity_and_reprints_byte_for_byte()
    {
        var corporateId = $"cons-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Consolidated Co" }).Ok(HttpStatusCode.Created);
        var admin = app.ClientFor(TestUser.CorporateAdmin(corporateId));
        var tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes",
            new { parentId = opened["rootId"]!.GetValue<Guid>(), name = "Sales", kind = "division" }).Ok(HttpStatusCode.Created);
        var sales = Node(tree, "Sales");
        await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = sales, name = "North", kind = "costCentre" }).Ok(HttpStatusCode.Created);
        tree = await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes", new { parentId = sales, name = "South", kind = "costCentre" })
            .Ok(HttpStatusCode.Created);
        var (north, south) = (Node(tree, "North"), Node(tree, "South"));
        var anna = await _desk.OpenAccount($"{corporateId}-anna", holder: "Anna North");
        var ben = await _desk.OpenAccount($"{corporateId}-ben", holder: "Ben North");
        var cara = await _desk.OpenAccount($"{corporateId}-cara", holder: "Cara South");
        var dan = await _desk.OpenAccount($"{corporateId}-dan", currency: "EUR", holder: "Dan Euro");
        foreach (var (member, node) in new[] { (anna, north), (ben, north), (cara, south), (dan, south) })
            await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = node }).Ok();

        // Billing: one payer per member, in one currency.
        await (await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/billing", new { mode = "parentPays" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "currency-unknown");
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/billing", new { mode = "parentPays", currency = "USD" }).Ok();
        await (await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/billing", new { mode = "parentPays", currency = "USD" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "billing-nested");

        await _desk.Post(anna, "charges", new { amount = 10m, description = "Calls", category = "voice" });
        await _desk.Post(anna, "charges", new { amount = 5.50m, description = "Data", category = "data" });
        await _desk.Post(ben, "charges", new { amount = 20m, description = "Roaming", category = "roaming" });
        await _desk.Post(ben, "credits", new { amount = 4m, reasonCode = "goodwill", reason = "Dropped calls" });
        await _desk.Post(cara, "charges", new { amount = 7.25m, description = "Calls", category = "voice" });
        await _desk.Post(dan, "charges", new { amount = 99m, description = "Calls", category = "voice" });
        var cutoff = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        // A member moves while the run is under way (after its cut-off): it moves on the next bill, not this one.
        await admin.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{anna}", new { nodeId = south }).Ok();
        (await admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills", new { cutoff })).StatusCode.Should().Be(HttpStatusCode.Forbidden,
            "bills are issued by the ledger's admins, not by the customer's");
        var first = await _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills", new { cutoff }).Ok(HttpStatusCode.Created);
        var billId = first["billId"]!.GetValue<Guid>();
        var bill = await admin.GetAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{billId}").Ok();
        var content = bill["content"]!;
        var sections = content["sections"]!.AsArray();
        sections.Select(s => (s!["accountId"]!.GetValue<Guid>(), s["costCentre"]!.GetValue<string>(), s["total"]!.GetValue<decimal>()))
            .Should().BeEquivalentTo([(anna, "North", 15.50m), (ben, "North", 16m), (cara, "South", 7.25m)]); // Dan is billed in EUR: his own bills go on
        sections.Select(s => (s!["costCentre"]!.GetValue<string>(), s["accountNumber"]!.GetValue<string>())).Should().BeInAscendingOrder(StringPairs.Instance);
        content["costCentres"]!.AsArray().Select(c => (c!["path"]!.GetValue<string>(), c["members"]!.GetValue<int>(), c["total"]!.GetValue<decimal>()))
            .Should().Equal(("North", 2, 31.50m), ("South", 1, 7.25m));
        // The bill is the sum of its members' activity: each section is what the member's own account records.
        foreach (var section in sections)
            section!["total"]!.GetValue<decimal>().Should().Be(await _desk.Balance(section["accountId"]!.GetValue<Guid>()));
        (content["periodTotal"]!.GetValue<decimal>(), content["amountDue"]!.GetValue<decimal>(), content["openingBalance"]!.GetValue<decimal>())
            .Should().Be((38.75m, 38.75m, 0m));

        // The same cut-off again is the same bill; an earlier one is refused; ten at once record one bill.
        (await _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills", new { cutoff }).Ok())["billId"]!.GetValue<Guid>().Should().Be(billId);
        await (await _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills", new { cutoff = cutoff.AddMinutes(-1) }))
            .ShouldBeProblem(HttpStatusCode.Conflict, "period-already-billed");
        await (await _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{north}/bills", new { cutoff }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "node-not-paying");

        // Reprint: signed, byte for byte, after later postings and with the stored copy lost.
        var pdf = await admin.GetByteArrayAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{billId}/document");
        Convert.ToHexStringLower(SHA256.HashData(pdf)).Should().Be(bill["documentSha256"]!.GetValue<string>());
        (await Pdfsig.ReadAsync(pdf)).Should().Contain("Signature is Valid.");
        await _desk.Post(cara, "charges", new { amount = 1m, description = "Late call", category = "voice" });
        await Scalar($"delete from ledger.statement_documents where sha256 = '{bill["documentSha256"]!.GetValue<string>()}'");
        (await admin.GetByteArrayAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{billId}/document")).Should().Equal(pdf);

        // The members' own bills stop while the division pays; Dan's (another currency) go on.
        var run = await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { anna, ben, cara, dan } }).Ok();
        run["issued"]!.GetValue<int>().Should().Be(1);
        (await Scalar("select count(*) from ledger.mt_events where stream_id = @id and type = 'statement_issued'", dan)).Should().Be(1);
        (await Scalar("select count(*) from ledger.mt_events where stream_id = @id and type = 'statement_issued'", anna)).Should().Be(0);

        // The next bill: Anna now under South, only what happened since, opening with what the first closed with.
        await _desk.Post(anna, "charges", new { amount = 3m, description = "SMS", category = "sms" });
        var next = await _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills", new { }).Ok(HttpStatusCode.Created);
        var second = (await admin.GetAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{next["billId"]!.GetValue<Guid>()}").Ok())["content"]!;
        second["sections"]!.AsArray().Select(s => (s!["accountId"]!.GetValue<Guid>(), s["costCentre"]!.GetValue<string>(), s["total"]!.GetValue<decimal>()))
            .Should().BeEquivalentTo([(ben, "North", 0m), (anna, "South", 3m), (cara, "South", 1m)]);
        (second["openingBalance"]!.GetValue<decimal>(), second["closingBalance"]!.GetValue<decimal>()).Should().Be((38.75m, 42.75m));
        second["periodStart"]!.GetValue<DateTimeOffset>().Should().Be(content["periodEnd"]!.GetValue<DateTimeOffset>());

        // Who may look: the whole tree's admin and the desk; not an admin of North only, nor another corporate's.
        var list = JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills"))!.AsArray();
        list.Select(b => b!["billId"]!.GetValue<Guid>()).Should().Equal(next["billId"]!.GetValue<Guid>(), billId);
        var northAdmin = app.ClientFor(TestUser.CorporateAdmin(corporateId, north, "north.admin"));
        (await northAdmin.GetAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await northAdmin.GetAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{billId}/document")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var stranger = app.ClientFor(TestUser.CorporateAdmin("cons-stranger"));
        (await stranger.GetAsync($"/api/corporates/{corporateId}/nodes/{sales}/bills/{billId}/document")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await Scalar("select count(*) from ledger.mt_events where type = 'consolidated_bill_reprinted' and data->>'billId' = @id::text", billId))
            .Should().Be(2);
    }

    [Fact]
    public async Task Bill_runs_racing_for_the_same_node_record_one_bill()
    {
        var corporateId = $"consr-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Race Co" }).Ok(HttpStatusCode.Created);
        var root = opened["rootId"]!.GetValue<Guid>();
        var member = await _desk.OpenAccount($"{corporateId}-m");
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = root }).Ok();
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{root}/billing", new { mode = "parentPays", currency = "USD" }).Ok();
        await _desk.Post(member, "charges", new { amount = 12m, description = "Calls", category = "voice" });
        var cutoffs = new[] { DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMilliseconds(1) };
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            _admin.PostAsJsonAsync($"/api/corporates/{corporateId}/nodes/{root}/bills", new { cutoff = cutoffs[i % 2] })));
        answers.Select(a => a.StatusCode).Should().OnlyContain(s => s == HttpStatusCode.Created || s == HttpStatusCode.OK || s == HttpStatusCode.Conflict
            || s == HttpStatusCode.UnprocessableEntity);
        var bills = JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/bills"))!.AsArray();
        bills.Sum(b => b!["periodTotal"]!.GetValue<decimal>()).Should().Be(12m, "the charge is billed once, whichever run won");
        answers.Count(a => a.StatusCode == HttpStatusCode.Created).Should().Be(bills.Count);
    }

    [Fact]
    public async Task The_nightly_run_on_the_first_of_a_month_bills_every_paying_node_for_the_month_that_ended()
    {
        var corporateId = $"consm-{Guid.NewGuid():N}"[..20];
        var opened = await _desk.PostAsJsonAsync("/api/corporates", new { corporateId, name = "Monthly Co" }).Ok(HttpStatusCode.Created);
        var root = opened["rootId"]!.GetValue<Guid>();
        var member = await _desk.OpenAccount($"{corporateId}-m");
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/members/{member}", new { nodeId = root }).Ok();
        await _desk.PutAsJsonAsync($"/api/corporates/{corporateId}/nodes/{root}/billing", new { mode = "parentPays", currency = "USD" }).Ok();
        await _desk.Post(member, "charges", new { amount = 9.99m, description = "Calls", category = "voice" });

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1).AddMonths(1);
        var midnight = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        app.Clock.Offset = midnight.AddMinutes(5) - DateTimeOffset.UtcNow; // the run's time on the first
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new Ledger.Api.Statements.RunDueStatements(first));
            var bills = await Poll.Until(async () => JsonNode.Parse(await _desk.GetStringAsync($"/api/corporates/{corporateId}/nodes/{root}/bills"))!.AsArray(),
                b => b.Count == 1, TimeSpan.FromSeconds(30));
            (bills[0]!["periodEnd"]!.GetValue<DateTimeOffset>(), bills[0]!["amountDue"]!.GetValue<decimal>()).Should().Be((midnight, 9.99m));
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
