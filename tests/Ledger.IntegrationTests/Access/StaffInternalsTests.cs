using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Access;

/// <summary>Customers see a request's amount, status and a reason meant for them; who asked, the limit and the desk's note are staff's.</summary>
[Collection(LedgerCollection.Name)]
public sealed class StaffInternalsTests(LedgerApp app)
{
    [Fact]
    public async Task Given_a_request_the_desk_raised_When_the_customer_reads_the_account_Then_no_staff_id_limit_or_internal_note_is_shown()
    {
        using var csr = app.ClientFor(TestUser.Csr("csr.internal-note"));
        var accountId = await csr.OpenAccount("cust-internals");
        var raised = await csr.PostAsJsonAsync($"/api/accounts/{accountId}/credits",
            new { amount = 150m, reasonCode = "goodwill", reason = "Internal: customer shouted, calm them down" });
        raised.StatusCode.Should().Be(HttpStatusCode.Accepted);
        using var customer = app.ClientFor(TestUser.Customer("cust-internals"));
        var own = await customer.PostAsJsonAsync($"/api/accounts/{accountId}/credits", new { amount = 30m, reasonCode = "goodwill", reason = "Router died" });
        own.StatusCode.Should().Be(HttpStatusCode.Accepted);

        var seenByCustomer = await customer.GetStringAsync($"/api/accounts/{accountId}");
        var searchedByCustomer = await customer.GetStringAsync("/api/accounts");
        var pastByCustomer = await customer.GetStringAsync($"/api/accounts/{accountId}?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddSeconds(5).ToString("O"))}");
        var seenByDesk = await (await csr.GetAsync($"/api/accounts/{accountId}")).Body();

        foreach (var view in new[] { seenByCustomer, searchedByCustomer, pastByCustomer })
        {
            view.Should().NotContain("csr.internal-note").And.NotContain("shouted").And.NotContain("max-single-credit").And.NotContain("self-service-request");
            view.Should().Contain("\"amount\":150").And.Contain("\"status\":\"pending\"").And.Contain("Router died")
                .And.Contain("A credit our service desk proposed for your account is waiting for approval.");
        }
        var desk = seenByDesk["pendingApprovals"]!.AsArray();
        desk.Select(p => p!["requestedBy"]!.GetValue<string>()).Should().Equal("csr.internal-note", "customer-cust-internals");
        desk[0]!["reason"]!.GetValue<string>().Should().Contain("shouted");
        desk[0]!["exceededLimit"]!.GetValue<string>().Should().Be("csr.max-single-credit");
    }
}
