using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Wire;

public sealed class IdempotencyTests : StandInTest
{
    [Fact]
    public async Task Given_a_create_When_it_is_sent_again_with_the_same_Idempotency_Key_Then_the_same_session_comes_back()
    {
        var key = new RequestOptions { IdempotencyKey = "ledger-payment-7-checkout" };

        var first = await StandIn.CreateSessionAsync("pay-7", requestOptions: key);
        var second = await StandIn.CreateSessionAsync("pay-7", requestOptions: key);
        var third = await StandIn.CreateSessionAsync("pay-7");

        second.Id.Should().Be(first.Id);
        second.StripeResponse.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        third.Id.Should().NotBe(first.Id, "Stripe.net gives every POST a fresh key of its own");
        StandIn.State.Read(records => records.Sessions.Count).Should().Be(2);
    }

    [Fact]
    public async Task Given_a_used_Idempotency_Key_When_it_is_sent_with_other_parameters_Then_400_idempotency_error()
    {
        var key = new RequestOptions { IdempotencyKey = "ledger-payment-8-checkout" };
        await StandIn.CreateSessionAsync("pay-8", requestOptions: key);

        var reuse = () => StandIn.CreateSessionAsync("pay-8", amount: 9999, requestOptions: key);

        var refused = (await reuse.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.BadRequest);
        refused.StripeError.Type.Should().Be("idempotency_error");
    }
}
