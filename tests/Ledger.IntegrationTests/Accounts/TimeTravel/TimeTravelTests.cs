using System.Net;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.TimeTravel;

[Collection(LedgerCollection.Name)]
public sealed class TimeTravelTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());
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
        await _desk.Post(accountId, "payments", new { amount = 50m, method = "cash" });

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
}
