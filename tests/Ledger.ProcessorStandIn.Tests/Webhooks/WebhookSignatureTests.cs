using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Webhooks;

public sealed class WebhookSignatureTests : StandInTest
{
    private async Task<ReceivedWebhook> OneDeliveryAsync()
    {
        var session = await StandIn.CreateSessionAsync("pay-40");
        await StandIn.PayAsync(session, "4242424242424242");
        return await Eventually.Find(() => StandIn.Receiver.Accepted.FirstOrDefault(), "a delivery");
    }

    [Fact]
    public async Task Given_a_delivery_Then_its_header_is_t_and_v1_and_StripeNet_accepts_it_with_the_pinned_api_version()
    {
        var delivery = await OneDeliveryAsync();

        delivery.Signature.Should().MatchRegex("^t=[0-9]+,v1=[0-9a-f]{64}$");
        var stripeEvent = EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, StandInHost.WebhookSecret, throwOnApiVersionMismatch: true);
        stripeEvent.Object.Should().Be("event");
        stripeEvent.PendingWebhooks.Should().Be(1);
    }

    [Fact]
    public async Task Given_a_delivery_When_its_payload_is_altered_Then_ConstructEvent_rejects_it()
    {
        var delivery = await OneDeliveryAsync();
        var forged = delivery.Payload.Replace("\"livemode\": false", "\"livemode\": true", StringComparison.Ordinal);
        forged.Should().NotBe(delivery.Payload);

        var construct = () => EventUtility.ConstructEvent(forged, delivery.Signature, StandInHost.WebhookSecret);

        construct.Should().Throw<StripeException>().WithMessage("*signature*");
    }

    [Fact]
    public async Task Given_a_delivery_When_checked_with_another_secret_Then_ConstructEvent_rejects_it()
    {
        var delivery = await OneDeliveryAsync();

        var construct = () => EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, "whsec_someone_else");

        construct.Should().Throw<StripeException>().WithMessage("*signature*");
    }

    [Fact]
    public async Task Given_a_delivery_When_checked_after_the_tolerance_Then_ConstructEvent_rejects_it_as_stale()
    {
        var delivery = await OneDeliveryAsync();
        var signedAt = long.Parse(delivery.Signature.Split(',')[0]["t=".Length..]);

        var justInTime = () => EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, StandInHost.WebhookSecret, 300, signedAt + 300);
        var tooLate = () => EventUtility.ConstructEvent(delivery.Payload, delivery.Signature, StandInHost.WebhookSecret, 300, signedAt + 301);

        justInTime.Should().NotThrow();
        tooLate.Should().Throw<StripeException>().WithMessage("*tolerance*");
    }
}
