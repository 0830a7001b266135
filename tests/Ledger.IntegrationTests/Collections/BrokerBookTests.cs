using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Collections;

[Collection(LedgerCollection.Name)]
public sealed class BrokerBookTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.brokers"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    [Fact]
    public async Task A_broker_reads_only_their_book_most_urgent_first_and_asks_the_desk_to_call()
    {
        var broker = app.ClientFor(TestUser.Broker("broker-ann"));
        var (late, due) = await _desk.BilledAsync(_admin, "cust-book-late", 200m);
        var (later, _) = await _desk.BilledAsync(_admin, "cust-book-later", 50m);
        var (paid, _) = await _desk.BilledAsync(_admin, "cust-book-paid", 10m);
        var (elsewhere, _) = await _desk.BilledAsync(_admin, "cust-book-other", 10m);
        await _desk.Post(paid, "payments", new { amount = 10m, method = "cash", reference = "BOOK-PAID" });
        foreach (var id in new[] { late, later, paid })
            (await _desk.PutAsJsonAsync($"/api/accounts/{id}/broker", new { brokerId = "broker-ann" })).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _desk.PutAsJsonAsync($"/api/accounts/{elsewhere}/broker", new { brokerId = "broker-bob" })).StatusCode.Should().Be(HttpStatusCode.OK);
        try
        {
            await app.WalkAsync(late, due, until: 30);
            await app.WalkAsync(later, due, until: 1);

            var book = await (await broker.GetAsync("/api/brokers/me/book")).Body();
            var lines = book["lines"]!.AsArray();
            lines.Select(l => l!["accountId"]!.GetValue<Guid>()).Should().Equal([late, later, paid], "the soonest cancellation first, nothing past due last");
            lines[0]!["currentStep"]!.GetValue<string>().Should().Be("intentToCancel");
            lines[0]!["cancellationOn"]!.GetValue<string>().Should().Be($"{due.AddDays(60):yyyy-MM-dd}");
            lines[0]!["pastDueAmount"]!.GetValue<decimal>().Should().Be(200m);
            lines[1]!["cancellationOn"]!.GetValue<string>().Should().Be($"{due.AddDays(60):yyyy-MM-dd}", "projected from the policy");
            lines[2]!["lastPaymentAmount"]!.GetValue<decimal>().Should().Be(10m);
            book["pastDueTotal"]!.GetValue<decimal>().Should().Be(250m);

            (await broker.GetAsync($"/api/accounts/{elsewhere}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "outside the book is like missing");
            (await broker.GetAsync($"/api/accounts/{late}")).StatusCode.Should().Be(HttpStatusCode.OK);
            (await broker.GetAsync($"/api/accounts/{late}/entries")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "a broker reads risk, not line items");
            (await broker.PostAsJsonAsync($"/api/accounts/{late}/charges", new { amount = 1m, description = "x", category = "y" }))
                .StatusCode.Should().Be(HttpStatusCode.Forbidden);
            await (await broker.PostAsJsonAsync($"/api/accounts/{elsewhere}/callback-requests", new { note = "Call them" }))
                .ShouldBeProblem(HttpStatusCode.NotFound);

            var asked = await broker.PostAsJsonAsync($"/api/accounts/{late}/callback-requests", new { note = "Customer wants a plan; call after 5pm" });
            asked.StatusCode.Should().Be(HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
            var requestId = (await asked.Body())["id"]!.GetValue<Guid>();
            var seenByDesk = (await _desk.Account(late))["openCallbacks"]!.AsArray();
            seenByDesk.Should().ContainSingle();
            seenByDesk[0]!["brokerId"]!.GetValue<string>().Should().Be("broker-ann", "from the broker's token");
            (await app.ClientFor(TestUser.Customer("cust-book-late")).Account(late))["openCallbacks"].Should().BeNull("the note is for the desk");
            (await _desk.PostAsJsonAsync($"/api/accounts/{late}/callback-requests/{requestId}/completion", new { outcome = "Plan agreed" }))
                .StatusCode.Should().Be(HttpStatusCode.OK);
            (await _desk.Account(late))["openCallbacks"]!.AsArray().Should().BeEmpty();

            (await _desk.PutAsJsonAsync($"/api/accounts/{later}/broker", new { brokerId = (string?)null })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await broker.GetAsync($"/api/accounts/{later}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "taken out of the book");
            (await app.Events(later)).Select(e => e.Type).Should().Contain(["broker_assigned", "broker_unassigned"]);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
