using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Collections;

[Collection(LedgerCollection.Name)]
public sealed class WaivingLateFeesTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.waiver"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.waiver"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    [Fact]
    public async Task A_csr_waives_a_late_fee_once_and_a_customers_request_to_waive_one_goes_to_the_desk()
    {
        var (accountId, dueDate) = await _desk.BilledAsync(_admin, "cust-waiver", 120m);
        var (otherId, otherDue) = await _desk.BilledAsync(_admin, "cust-waiver-asks", 60m);
        try
        {
            await app.WalkAsync(accountId, dueDate, until: 15);
            await app.WalkAsync(otherId, otherDue, until: 15);
            var fee = await FeeAsync(accountId);
            (await _desk.Balance(accountId)).Should().Be(130m);

            var waived = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/late-fees/{fee}/waiver", new { reason = "First time late" });
            waived.StatusCode.Should().Be(HttpStatusCode.Created, await waived.Content.ReadAsStringAsync());
            (await _desk.Balance(accountId)).Should().Be(120m);
            (await _desk.Account(accountId))["pastDue"]!["amount"]!.GetValue<decimal>().Should().Be(120m, "the bill is still owed");
            await (await _manager.PostAsJsonAsync($"/api/accounts/{accountId}/late-fees/{fee}/waiver", new { reason = "Again" }))
                .ShouldBeProblem(HttpStatusCode.Conflict, "late-fee-already-waived");
            var charge = (await (await _desk.GetAsync($"/api/accounts/{accountId}/entries?type=charge")).Body())["items"]!.AsArray()
                .Single(e => e!["category"]!.GetValue<string>() == "service")!["entryId"]!.GetValue<Guid>();
            await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/late-fees/{charge}/waiver", new { reason = "Not a fee" }))
                .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "late-fee-not-found");

            var customer = app.ClientFor(TestUser.Customer("cust-waiver-asks"));
            var otherFee = await FeeAsync(otherId);
            var asked = await customer.PostAsJsonAsync($"/api/accounts/{otherId}/late-fees/{otherFee}/waiver", new { reason = "I was in hospital" });
            asked.StatusCode.Should().Be(HttpStatusCode.Accepted);
            var approvalId = (await asked.Body())["approvalId"]!.GetValue<Guid>();
            (await _desk.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Agreed" })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await _desk.Balance(otherId)).Should().Be(60m);
            (await app.Events(otherId)).Select(e => e.Type).Should().Contain("late_fee_waived");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    private async Task<Guid> FeeAsync(Guid accountId) =>
        (await (await _desk.GetAsync($"/api/accounts/{accountId}/entries?type=charge")).Body())["items"]!.AsArray()
        .Single(e => e!["category"]!.GetValue<string>() == "late-fee")!["entryId"]!.GetValue<Guid>();
}
