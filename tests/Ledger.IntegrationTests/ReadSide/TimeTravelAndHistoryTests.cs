using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.ReadSide;

[Collection(LedgerCollection.Name)]
public sealed class TimeTravelAndHistoryTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.history"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task An_auditor_sees_the_account_as_it_stood_and_later_corrections_do_not_change_that_view()
    {
        var accountId = await _desk.OpenAccount("cust-asof");
        var charge = await _desk.Post(accountId, "charges", new { amount = 90m, description = "March", category = "energy" });
        await Task.Delay(50);
        var moment = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 40m, reason = "Estimated read" });
        await _desk.Post(accountId, "payments", new { amount = 50m, method = "transfer" });

        var atVersion = await (await _auditor.GetAsync($"/api/accounts/{accountId}?version=2")).Body();
        atVersion["balance"]!.GetValue<decimal>().Should().Be(90m);
        atVersion["version"]!.GetValue<long>().Should().Be(2);
        var asOf = await (await _auditor.GetAsync($"/api/accounts/{accountId}?asOf={Uri.EscapeDataString(moment.ToString("O"))}")).Body();
        asOf["balance"]!.GetValue<decimal>().Should().Be(90m);
        (await _auditor.Balance(accountId)).Should().Be(0m);

        await (await _auditor.GetAsync($"/api/accounts/{accountId}?version=99")).ShouldBeProblem(HttpStatusCode.BadRequest, "version-out-of-range");
        await (await _auditor.GetAsync($"/api/accounts/{accountId}?asOf=2001-01-01T00:00:00Z")).ShouldBeProblem(HttpStatusCode.NotFound, "not-yet-open");
        await (await _auditor.GetAsync($"/api/accounts/{accountId}?asOf=yesterday")).ShouldBeProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task History_lists_every_event_with_actor_role_channel_and_correlation_and_exports_csv_safely()
    {
        var accountId = await _desk.OpenAccount("cust-history");
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{accountId}/credits")
        {
            Content = JsonContent.Create(new { amount = 5m, reasonCode = "goodwill", reason = "=HYPERLINK(\"http://evil\")" }),
            Headers = { { "X-Correlation-Id", "call-20261123-0042" } },
        };
        (await _desk.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Created);
        using var customer = app.ClientFor(TestUser.Customer("cust-history"));
        await customer.Post(accountId, "payments", new { amount = 1m, method = "transfer" });

        var history = (await (await _auditor.GetAsync($"/api/accounts/{accountId}/history")).Content.ReadFromJsonAsync<List<Dictionary<string, object?>>>())!;
        history.Select(h => h["type"]!.ToString()).Should().Equal("account_opened", "credit_issued", "payment_received");
        history[1]["actor"]!.ToString().Should().Be("csr.history");
        history[1]["channel"]!.ToString().Should().Be("desk");
        history[1]["correlationId"]!.ToString().Should().Be("call-20261123-0042");
        history[1]["limit"]!.ToString().Should().Be("csr.within-limits");
        history[1]["policyVersion"]!.ToString().Should().NotBeNullOrEmpty();
        history[2]["role"]!.ToString().Should().Be("customer");
        history[2]["channel"]!.ToString().Should().Be("self-service");

        var csv = await (await _auditor.GetAsync($"/api/accounts/{accountId}/history?format=csv")).Content.ReadAsStringAsync();
        csv.Split('\n')[0].Should().StartWith("sequence,streamId,version,type,timestamp,actor,role,channel,correlationId,reason");
        csv.Should().Contain("csr.history").And.NotContain(",=HYPERLINK", "formula cells are escaped");
        await (await customer.GetAsync($"/api/accounts/{accountId}/history")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Per_actor_audit_spans_accounts_once_the_async_projection_caught_up()
    {
        using var csr = app.ClientFor(TestUser.Csr("csr.audited"));
        var first = await csr.OpenAccount("cust-audit-1");
        var second = await csr.OpenAccount("cust-audit-2");
        await csr.Post(first, "charges", new { amount = 10m, description = "a", category = "x" });
        await csr.Post(second, "credits", new { amount = 3m, reasonCode = "goodwill", reason = "b" });

        await app.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var audit = await (await _auditor.GetAsync("/api/audit?actor=csr.audited&pageSize=50")).Body();
        audit["items"]!.AsArray().Select(i => i!["type"]!.GetValue<string>()).Should()
            .Equal("account_opened", "account_opened", "charge_posted", "credit_issued", "credit_allowance_used");
        audit["items"]!.AsArray().Select(i => i!["streamId"]!.GetValue<Guid>()).Should().Contain([first, second]);

        // Readiness reports the lag live. Background writers of this shared app (a notice's failed delivery attempts, on
        // their own schedule) may append at any moment, so the lag is 0 once the daemon caught up with those too.
        long lag = -1;
        for (var attempt = 0; attempt < 60 && lag != 0; attempt++)
        {
            if (attempt > 0)
                await Task.Delay(500);
            var ready = await (await _auditor.GetAsync("/health/ready")).Body(); // the details are for staff
            lag = ready["checks"]!["async-projections"]!["data"]!["lag"]!.GetValue<long>();
        }
        lag.Should().Be(0);
        await (await _auditor.GetAsync("/api/audit")).ShouldBeProblem(HttpStatusCode.BadRequest, "required");
    }

    [Fact]
    public async Task A_customer_puts_line_items_in_own_categories_and_gets_totals_per_category()
    {
        var accountId = await _desk.OpenAccount("cust-categories");
        var gym = await _desk.Post(accountId, "charges", new { amount = 30m, description = "Gym", category = "services" });
        await _desk.Post(accountId, "charges", new { amount = 20m, description = "Cloud", category = "services" });
        await _desk.Post(accountId, "charges", new { amount = 15m, description = "Pool", category = "services" }).ContinueWith(async t =>
            await _desk.Post(accountId, "corrections", new { entryId = t.Result, amount = 5m, reason = "promo" })).Unwrap();
        using var customer = app.ClientFor(TestUser.Customer("cust-categories"));

        (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/entries/{gym}/category", new { category = "Health" })).StatusCode.Should().Be(HttpStatusCode.OK);
        await (await customer.PutAsJsonAsync($"/api/accounts/{accountId}/entries/{gym}/category", new { category = "health" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "category-unchanged");

        var totals = await (await customer.GetAsync($"/api/accounts/{accountId}/category-totals")).Body();
        var byCategory = totals["categories"]!.AsArray().ToDictionary(c => c!["category"]!.GetValue<string>(), c => c!["total"]!.GetValue<decimal>());
        byCategory.Should().BeEquivalentTo(new Dictionary<string, decimal> { ["health"] = 30m, ["services"] = 30m });
        var filtered = await (await customer.GetAsync($"/api/accounts/{accountId}/entries?category=health")).Body();
        filtered["items"]!.AsArray().Select(i => i!["entryId"]!.GetValue<Guid>()).Should().Equal(gym);
    }
}
