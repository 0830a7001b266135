using System.Net;
using Ledger.ProcessorStandIn.Tests.Harness;

namespace Ledger.ProcessorStandIn.Tests.Paying;

public sealed class PaymentPageTests : StandInTest
{
    [Fact]
    public async Task Given_an_open_session_When_its_page_is_opened_Then_a_labelled_card_form_with_autocomplete_and_nothing_external()
    {
        var session = await StandIn.CreateSessionAsync("pay-10");

        var response = await StandIn.Http.GetAsync(session.Url);
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        html.Should().Contain("<html lang=\"en\">")
            .And.Contain("<label for=\"card_number\">").And.Contain("autocomplete=\"cc-number\"")
            .And.Contain("<label for=\"card_expiry\">").And.Contain("autocomplete=\"cc-exp\"")
            .And.Contain("<label for=\"card_cvc\">").And.Contain("autocomplete=\"cc-csc\"")
            .And.Contain("42.50 EUR").And.Contain("Statement of November 2026");
        html.Should().NotContain("<script").And.NotContain("<link").And.NotContain("src=");
        response.Headers.GetValues("Content-Security-Policy").Single().Should().StartWith("default-src 'none'");
    }

    [Fact]
    public async Task Given_a_number_that_is_no_test_card_When_submitted_Then_the_form_says_so_and_nothing_happens()
    {
        var session = await StandIn.CreateSessionAsync("pay-11");

        var response = await StandIn.PayAsync(session, "4111 1111 1111 1111");
        var html = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        html.Should().Contain("role=\"alert\"").And.Contain("use one of the test cards")
            .And.Contain("aria-invalid=\"true\" aria-describedby=\"card_number_error\"");
        StandIn.State.Read(records => records.Events.Count + records.PaymentIntents.Count + records.Charges.Count).Should().Be(0);
    }

    [Fact]
    public async Task Given_an_expiry_in_the_past_When_submitted_Then_the_expiry_field_is_flagged()
    {
        var session = await StandIn.CreateSessionAsync("pay-12");

        var response = await StandIn.PayAsync(session, "4242 4242 4242 4242", expiry: "01 / 20");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).Should().Contain("expiration date is in the past");
    }

    [Fact]
    public async Task Given_an_American_Express_card_When_a_3_digit_code_is_given_Then_4_digits_are_asked_for()
    {
        var session = await StandIn.CreateSessionAsync("pay-13");

        var response = await StandIn.PayAsync(session, "3782 822463 10005", cvc: "123");

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync()).Should().Contain("security code is 4 digits");
    }

    [Fact]
    public async Task Given_a_paid_session_When_its_page_is_opened_again_Then_it_says_already_paid()
    {
        var session = await StandIn.CreateSessionAsync("pay-14");
        await StandIn.PayAsync(session, "4242424242424242");

        var html = await StandIn.Http.GetStringAsync(session.Url);

        html.Should().Contain("Already paid").And.NotContain("<form");
    }
}
