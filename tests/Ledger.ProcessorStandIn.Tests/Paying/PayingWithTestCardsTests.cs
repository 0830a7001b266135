using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;
using Stripe.Checkout;

namespace Ledger.ProcessorStandIn.Tests.Paying;

public sealed class PayingWithTestCardsTests : StandInTest
{
    [Fact]
    public async Task Given_card_4242_When_paid_Then_the_customer_goes_to_the_success_url_and_the_session_is_complete()
    {
        var session = await StandIn.CreateSessionAsync("pay-20");

        var response = await StandIn.PayAsync(session, "4242 4242 4242 4242");

        response.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        response.Headers.Location!.ToString().Should().Be($"https://ledger.test/payments/done?session={session.Id}");
        var paid = await new SessionService(StandIn.Client).GetAsync(session.Id);
        paid.Status.Should().Be("complete");
        paid.PaymentStatus.Should().Be("paid");
        paid.PaymentIntentId.Should().StartWith("pi_");
        paid.Url.Should().BeNull();
    }

    [Fact]
    public async Task Given_card_4242_When_paid_Then_the_PaymentIntent_succeeded_with_the_ledger_metadata_and_a_charge()
    {
        var session = await StandIn.CreateSessionAsync("pay-21");
        await StandIn.PayAsync(session, "4242424242424242");
        var paid = await new SessionService(StandIn.Client).GetAsync(session.Id);

        var intent = await new PaymentIntentService(StandIn.Client).GetAsync(paid.PaymentIntentId);

        intent.Status.Should().Be("succeeded");
        intent.Amount.Should().Be(4250);
        intent.AmountReceived.Should().Be(4250);
        intent.Currency.Should().Be("eur");
        intent.Metadata.Should().Equal(new Dictionary<string, string> { ["ledger_payment_id"] = "pay-21" });
        intent.LatestChargeId.Should().StartWith("ch_");
        intent.LastPaymentError.Should().BeNull();
    }

    [Fact]
    public async Task Given_a_paid_session_When_its_charge_is_read_Then_it_shows_the_cards_brand_and_last_four_only()
    {
        var session = await StandIn.CreateSessionAsync("pay-23");
        await StandIn.PayAsync(session, "5555 5555 5555 4444");
        var intent = await new PaymentIntentService(StandIn.Client).GetAsync((await new SessionService(StandIn.Client).GetAsync(session.Id)).PaymentIntentId);

        var charge = await new ChargeService(StandIn.Client).GetAsync(intent.LatestChargeId);

        charge.PaymentIntentId.Should().Be(intent.Id);
        charge.Amount.Should().Be(4250);
        charge.Paid.Should().BeTrue();
        charge.PaymentMethodDetails.Card.Brand.Should().Be("mastercard");
        charge.PaymentMethodDetails.Card.Last4.Should().Be("4444");
        var missing = () => new ChargeService(StandIn.Client).GetAsync("ch_missing");
        (await missing.Should().ThrowAsync<StripeException>()).Which.StripeError.Code.Should().Be("resource_missing");
    }

    [Fact]
    public async Task Given_a_public_base_url_When_a_session_is_created_Then_its_page_is_there_whatever_address_the_request_came_to()
    {
        await using var behindProxy = await StandInHost.StartAsync(o => o.PublicBaseUrl = "http://127.0.0.1:12111/");

        var session = await behindProxy.CreateSessionAsync("pay-24");

        session.Url.Should().Be($"http://127.0.0.1:12111/pay/{session.Id}");
    }

    [Fact]
    public async Task Given_card_4242_When_paid_Then_checkout_session_completed_and_payment_intent_succeeded_arrive_signed()
    {
        var session = await StandIn.CreateSessionAsync("pay-22");

        await StandIn.PayAsync(session, "4242424242424242");

        var completed = await StandIn.DeliveredAsync(EventTypes.CheckoutSessionCompleted);
        completed.Id.Should().StartWith("evt_");
        completed.Livemode.Should().BeFalse();
        completed.ApiVersion.Should().Be(StripeConfiguration.ApiVersion);
        completed.Request.Id.Should().BeNull("the customer paid on the hosted page, not through an API call");
        var completedSession = completed.Data.Object.Should().BeOfType<Session>().Which;
        completedSession.Id.Should().Be(session.Id);
        completedSession.PaymentStatus.Should().Be("paid");
        completedSession.Metadata["ledger_payment_id"].Should().Be("pay-22");

        var succeeded = await StandIn.DeliveredAsync(EventTypes.PaymentIntentSucceeded);
        var intent = succeeded.Data.Object.Should().BeOfType<PaymentIntent>().Which;
        intent.Id.Should().Be(completedSession.PaymentIntentId);
        intent.Metadata["ledger_payment_id"].Should().Be("pay-22");
    }

    [Theory]
    [InlineData("4000 0000 0000 0002", "generic_decline", "Your card was declined.")]
    [InlineData("4000 0000 0000 9995", "insufficient_funds", "Your card has insufficient funds.")]
    public async Task Given_a_declining_card_When_paid_Then_the_page_shows_the_decline_and_payment_failed_carries_the_decline_code(
        string card, string declineCode, string message)
    {
        var session = await StandIn.CreateSessionAsync("pay-23");

        var response = await StandIn.PayAsync(session, card);

        response.StatusCode.Should().Be(HttpStatusCode.PaymentRequired);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Payment declined").And.Contain(message).And.Contain("<form");
        var failed = await StandIn.DeliveredAsync(EventTypes.PaymentIntentPaymentFailed);
        var intent = failed.Data.Object.Should().BeOfType<PaymentIntent>().Which;
        intent.Status.Should().Be("requires_payment_method");
        intent.LastPaymentError.Code.Should().Be("card_declined");
        intent.LastPaymentError.DeclineCode.Should().Be(declineCode);
        intent.LastPaymentError.Message.Should().Be(message);
        intent.Metadata["ledger_payment_id"].Should().Be("pay-23");
        var stillOpen = await new SessionService(StandIn.Client).GetAsync(session.Id);
        stillOpen.Status.Should().Be("open");
        stillOpen.PaymentIntentId.Should().BeNull();
    }

    [Fact]
    public async Task Given_a_declined_try_When_the_customer_pays_again_with_4242_Then_the_same_PaymentIntent_succeeds()
    {
        var session = await StandIn.CreateSessionAsync("pay-24");
        await StandIn.PayAsync(session, "4000000000000002");
        var failed = await StandIn.DeliveredAsync(EventTypes.PaymentIntentPaymentFailed);

        var retry = await StandIn.PayAsync(session, "4242424242424242");

        retry.StatusCode.Should().Be(HttpStatusCode.SeeOther);
        var intent = await new PaymentIntentService(StandIn.Client).GetAsync(((PaymentIntent)failed.Data.Object).Id);
        intent.Status.Should().Be("succeeded");
        intent.LastPaymentError.Should().BeNull();
        (await new SessionService(StandIn.Client).GetAsync(session.Id)).PaymentIntentId.Should().Be(intent.Id);
    }

    [Fact]
    public async Task Given_an_unknown_PaymentIntent_id_When_fetched_Then_404_resource_missing()
    {
        var fetch = () => new PaymentIntentService(StandIn.Client).GetAsync("pi_nothere");

        var refused = (await fetch.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.StripeError.Code.Should().Be("resource_missing");
    }
}
