using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.Auditing;

[Collection(LedgerCollection.Name)]
public sealed class AuditTrailTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.history"));
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

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
        await customer.PayPending(accountId, new { amount = 1m, method = "transfer" });

        var history = (await (await _auditor.GetAsync($"/api/accounts/{accountId}/history")).Content.ReadFromJsonAsync<List<Dictionary<string, object?>>>())!;
        history.Select(h => h["type"]!.ToString()).Should().Equal("account_opened", "credit_issued", "payment_initiated");
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
}
