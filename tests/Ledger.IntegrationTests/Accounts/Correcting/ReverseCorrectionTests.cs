using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Accounts.Correcting;

[Collection(LedgerCollection.Name)]
public sealed class ReverseCorrectionTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr());

    [Fact]
    public async Task A_wrong_correction_is_reversed_by_a_linked_event_and_the_entry_can_be_corrected_again()
    {
        var accountId = await _desk.OpenAccount("cust-reverse");
        var charge = await _desk.Post(accountId, "charges", new { amount = 80m, description = "Install", category = "internet" });
        var correction = (await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections",
            new { entryId = charge, amount = 80m, reason = "Wrong account" })).Body())["id"]!.GetValue<Guid>();

        var reversal = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections/{correction}/reversal", new { reason = "Was right after all" });
        reversal.StatusCode.Should().Be(HttpStatusCode.Created);
        var again = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/corrections/{correction}/reversal", new { reason = "twice" });
        await again.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "correction-already-reversed");

        var entry = await (await _desk.GetAsync($"/api/accounts/{accountId}/entries/{charge}")).Body();
        entry["amount"]!.GetValue<decimal>().Should().Be(80m);
        entry["correctedAmount"]!.GetValue<decimal>().Should().Be(80m);
        entry["corrections"]![0]!["correctionId"]!.GetValue<Guid>().Should().Be(correction);
        entry["corrections"]![0]!["reversedBy"]!.GetValue<Guid>().Should().NotBeEmpty();
        (await _desk.Balance(accountId)).Should().Be(80m);
        await _desk.Post(accountId, "corrections", new { entryId = charge, amount = 30m, reason = "Partial refund" });
        (await _desk.Balance(accountId)).Should().Be(50m);
    }
}
