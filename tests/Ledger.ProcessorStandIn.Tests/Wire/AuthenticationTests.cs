using System.Net;
using System.Text.Json;
using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;
using Stripe.Checkout;

namespace Ledger.ProcessorStandIn.Tests.Wire;

public sealed class AuthenticationTests : StandInTest
{
    [Fact]
    public async Task Given_no_API_key_When_the_API_is_called_Then_Stripe_shaped_401()
    {
        var response = await StandIn.Http.GetAsync("/v1/checkout/sessions/cs_test_any");

        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = body.RootElement.GetProperty("error");
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        error.GetProperty("message").GetString().Should().Contain("You did not provide an API key");
    }

    [Fact]
    public async Task Given_a_live_key_When_StripeNet_calls_Then_401_and_the_key_is_not_echoed()
    {
        var live = new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_live_realsecret1234",
            ApiBase = StandIn.BaseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(new SocketsHttpHandler { UseProxy = false })),
        });

        var call = () => new SessionService(live).GetAsync("cs_test_any");

        var refused = (await call.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.Unauthorized);
        refused.StripeError.Type.Should().Be("invalid_request_error");
        refused.StripeError.Message.Should().Contain("***1234").And.NotContain("realsecret");
    }

    [Fact]
    public async Task Given_an_endpoint_the_stand_in_lacks_When_StripeNet_calls_it_Then_Stripe_shaped_404_says_so()
    {
        var call = () => new CustomerService(StandIn.Client).GetAsync("cus_123");

        var refused = (await call.Should().ThrowAsync<StripeException>()).Which;
        refused.HttpStatusCode.Should().Be(HttpStatusCode.NotFound);
        refused.StripeError.Message.Should().Contain("does not implement");
    }
}
