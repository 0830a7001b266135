using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;
using Stripe.Checkout;

namespace Ledger.ProcessorStandIn.Tests.CheckoutSessions;

public sealed class CreatingSessionsTests : StandInTest
{
    [Fact]
    public async Task Given_a_payment_of_42_50_EUR_When_a_session_is_created_with_StripeNet_Then_it_is_open_unpaid_and_has_no_payment_intent_yet()
    {
        var session = await StandIn.CreateSessionAsync("pay-1");

        session.Id.Should().StartWith("cs_test_");
        session.Object.Should().Be("checkout.session");
        session.Status.Should().Be("open");
        session.PaymentStatus.Should().Be("unpaid");
        session.AmountTotal.Should().Be(4250);
        session.Currency.Should().Be("eur");
        session.Metadata.Should().Equal(new Dictionary<string, string> { ["ledger_payment_id"] = "pay-1" });
        session.ClientReferenceId.Should().Be("account-42");
        session.PaymentIntentId.Should().BeNull();
        session.Url.Should().Be($"{StandIn.BaseUrl}/pay/{session.Id}");
        session.ExpiresAt.Should().BeCloseTo(session.Created.AddHours(24), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Given_a_session_When_it_is_fetched_by_id_Then_the_same_session_comes_back()
    {
        var created = await StandIn.CreateSessionAsync("pay-2");

        var fetched = await new SessionService(StandIn.Client).GetAsync(created.Id);

        fetched.Id.Should().Be(created.Id);
        fetched.Metadata["ledger_payment_id"].Should().Be("pay-2");
        fetched.Url.Should().Be(created.Url);
    }

    [Fact]
    public async Task Given_no_line_items_When_a_session_is_created_Then_Stripe_shaped_400_names_the_missing_param()
    {
        var create = () => new SessionService(StandIn.Client).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            SuccessUrl = StandInHost.SuccessUrl,
        });

        var refused = (await create.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.StripeError.Type.Should().Be("invalid_request_error");
        refused.StripeError.Code.Should().Be("parameter_missing");
        refused.StripeError.Param.Should().Be("line_items");
    }

    [Fact]
    public async Task Given_an_unknown_id_When_a_session_is_fetched_Then_404_resource_missing()
    {
        var fetch = () => new SessionService(StandIn.Client).GetAsync("cs_test_nothere");

        var refused = (await fetch.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.StripeError.Code.Should().Be("resource_missing");
        refused.StripeError.Message.Should().Be("No such checkout.session: 'cs_test_nothere'");
    }

    [Fact]
    public async Task Given_an_open_session_When_it_is_expired_Then_its_page_is_gone_and_checkout_session_expired_is_sent()
    {
        var session = await StandIn.CreateSessionAsync("pay-3");

        var expired = await new SessionService(StandIn.Client).ExpireAsync(session.Id);

        expired.Status.Should().Be("expired");
        expired.Url.Should().BeNull();
        var page = await StandIn.Http.GetAsync(session.Url);
        page.StatusCode.Should().Be(HttpStatusCode.Gone);
        var sent = await StandIn.DeliveredAsync(EventTypes.CheckoutSessionExpired);
        sent.Data.Object.Should().BeOfType<Session>().Which.Id.Should().Be(session.Id);
        sent.Request.Id.Should().StartWith("req_", "an event caused by an API call names that request");
    }

    [Fact]
    public async Task Given_an_expired_session_When_it_is_expired_again_Then_400()
    {
        var session = await StandIn.CreateSessionAsync("pay-4");
        var sessions = new SessionService(StandIn.Client);
        await sessions.ExpireAsync(session.Id);

        var again = () => sessions.ExpireAsync(session.Id);

        (await again.Should().ThrowAsync<StripeException>()).Which.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
    }
}
