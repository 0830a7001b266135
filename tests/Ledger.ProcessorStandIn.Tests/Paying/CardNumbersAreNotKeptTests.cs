using Ledger.ProcessorStandIn.Tests.Harness;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Paying;

public sealed class CardNumbersAreNotKeptTests : StandInTest
{
    private static readonly string[] Cards = ["4242424242424242", "4000000000000002", "4000000000009995", "4000000000000259", "5555555555554444"];

    [Fact]
    public async Task Given_payments_with_every_kind_of_test_card_Then_no_record_event_delivery_or_log_line_holds_a_card_number()
    {
        foreach (var (card, i) in Cards.Select((c, i) => (c, i)))
        {
            var session = await StandIn.CreateSessionAsync($"pay-{30 + i}");
            // Typed as people type them, grouped, and as a browser's autofill sends them, not.
            await StandIn.PayAsync(session, string.Join(' ', card.Chunk(4).Select(g => new string(g))));
            await StandIn.PayAsync(session, card);
        }
        await StandIn.DeliveredAsync(EventTypes.ChargeDisputeCreated);

        var kept = StandIn.State.Export();
        var events = await StandIn.ControlAsync(HttpMethod.Get, "/_standin/events");
        var deliveries = await StandIn.ControlAsync(HttpMethod.Get, "/_standin/deliveries");
        var logs = string.Join('\n', StandIn.Logs.Lines);

        // What may be kept is there, so the search below looks at the right material.
        kept.Should().Contain("\"last4\": \"4242\"").And.Contain("\"last4\": \"0259\"").And.Contain("\"brand\": \"mastercard\"");
        logs.Should().Contain("visa ending 4242").And.Contain("mastercard ending 4444");
        foreach (var card in Cards)
        {
            var firstTwelve = card[..12];
            kept.Should().NotContain(firstTwelve);
            events.Should().NotContain(firstTwelve);
            deliveries.Should().NotContain(firstTwelve);
            logs.Should().NotContain(firstTwelve).And.NotContain(string.Join(' ', firstTwelve.Chunk(4).Select(g => new string(g))));
        }
    }
}
