using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Disputes;

public sealed class DisputeTests : StandInTest
{
    private async Task<(PaymentIntent Intent, Dispute Dispute)> DisputedPaymentAsync()
    {
        var session = await StandIn.CreateSessionAsync("pay-60");
        await StandIn.PayAsync(session, "4000000000000259");
        var created = await StandIn.DeliveredAsync(EventTypes.ChargeDisputeCreated);
        var succeeded = await StandIn.DeliveredAsync(EventTypes.PaymentIntentSucceeded);
        return ((PaymentIntent)succeeded.Data.Object, (Dispute)created.Data.Object);
    }

    [Fact]
    public async Task Given_card_0259_When_paid_Then_the_payment_succeeds_and_charge_dispute_created_follows_for_its_charge()
    {
        var (intent, dispute) = await DisputedPaymentAsync();

        intent.Status.Should().Be("succeeded");
        dispute.Id.Should().StartWith("dp_");
        dispute.ChargeId.Should().Be(intent.LatestChargeId);
        dispute.PaymentIntentId.Should().Be(intent.Id);
        dispute.Amount.Should().Be(4250);
        dispute.Status.Should().Be("needs_response");
        dispute.Reason.Should().Be("fraudulent");
    }

    [Theory]
    [InlineData("won")]
    [InlineData("lost")]
    public async Task Given_an_open_dispute_When_the_bank_decides_Then_charge_dispute_closed_carries_the_outcome(string outcome)
    {
        var (_, dispute) = await DisputedPaymentAsync();

        await StandIn.ControlAsync(HttpMethod.Post, $"/_standin/disputes/{dispute.Id}/close?outcome={outcome}");

        var closed = await StandIn.DeliveredAsync(EventTypes.ChargeDisputeClosed);
        closed.Data.Object.Should().BeOfType<Dispute>().Which.Status.Should().Be(outcome);
    }

    [Fact]
    public async Task Given_a_closed_dispute_When_closed_again_Then_refused()
    {
        var (_, dispute) = await DisputedPaymentAsync();
        await StandIn.ControlAsync(HttpMethod.Post, $"/_standin/disputes/{dispute.Id}/close?outcome=won");

        var again = await StandIn.Http.PostAsync($"/_standin/disputes/{dispute.Id}/close?outcome=lost", null);

        again.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Given_an_open_dispute_When_the_payment_is_refunded_Then_refused_as_charged_back()
    {
        var (intent, _) = await DisputedPaymentAsync();

        var refund = () => new RefundService(StandIn.Client).CreateAsync(new RefundCreateOptions { PaymentIntent = intent.Id });

        (await refund.Should().ThrowAsync<StripeException>()).Which.StripeError.Code.Should().Be("charge_disputed");
    }
}
