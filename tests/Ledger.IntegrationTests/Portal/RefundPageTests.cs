using System.Net;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Portal;

/// <summary>A credit balance in the portal: the customer asks for it back (a request to the desk); the desk pays it by transfer.</summary>
[Collection(LedgerCollection.Name)]
public sealed class RefundPageTests(LedgerApp app)
{
    [Fact]
    public async Task A_customer_asks_for_their_credit_back_and_the_desk_sends_it_by_transfer_which_shows_on_its_way()
    {
        using var api = app.ClientFor(TestUser.Manager("mgr.refundpage"));
        var accountId = await api.OpenAccount("cust-refundpage");
        await api.Post(accountId, "credits", new { amount = 80m, reasonCode = "goodwill", reason = "Outage", overrideReason = "Long outage" });

        using var customer = await PortalClient.SignedInAsync(app, "cust-refundpage", "customer", "cust-refundpage");
        var overview = await customer.GetStringAsync($"/portal/accounts/{accountId}");
        overview.Should().Contain($"/portal/accounts/{accountId}/refund");
        var page = $"/portal/accounts/{accountId}/refund";
        var refused = await customer.SubmitAsync(page, page, new() { ["amount"] = "80.01", ["destinationAccount"] = "GB82 WEST 1234 5698 7654 32", ["reason"] = "Moving" });
        (await refused.Content.ReadAsStringAsync()).Should().Contain("At most 80");
        var asked = await customer.SubmitAsync(page, page, new() { ["amount"] = "80.00", ["destinationAccount"] = "GB82 WEST 1234 5698 7654 32", ["reason"] = "Moving" });
        (await customer.FollowAsync(asked)).Should().Contain("waits for our service desk");

        using var desk = await PortalClient.SignedInAsync(app, "csr.refundpage", "csr");
        var sent = await desk.SubmitAsync(page, page, new() { ["amount"] = "30.00", ["destinationAccount"] = "GB82 WEST 1234 5698 7654 32", ["reason"] = "Part now" });
        var after = await desk.FollowAsync(sent);
        after.Should().Contain("is on its way by bank transfer").And.Contain("Refunds on their way");
        (await api.Account(accountId))["refundableCredit"]!.GetValue<decimal>().Should().Be(50m);
    }
}
