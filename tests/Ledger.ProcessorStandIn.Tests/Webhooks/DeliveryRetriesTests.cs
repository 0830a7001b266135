using System.Text.Json;
using Ledger.ProcessorStandIn.Tests.Harness;
using Ledger.ProcessorStandIn.Webhooks;
using Stripe;

namespace Ledger.ProcessorStandIn.Tests.Webhooks;

public sealed class DeliveryRetriesTests : StandInTest
{
    private async Task<string> ExpireASessionAsync()
    {
        var session = await StandIn.CreateSessionAsync("pay-50");
        await new Stripe.Checkout.SessionService(StandIn.Client).ExpireAsync(session.Id);
        return StandIn.State.Read(records => records.Events.Single().Id);
    }

    [Fact]
    public async Task Given_the_endpoint_answers_500_once_When_an_event_is_sent_Then_it_is_retried_and_delivered_on_the_second_attempt()
    {
        StandIn.Receiver.FailNext(1);

        var eventId = await ExpireASessionAsync();

        await Eventually.True(() => StandIn.Deliveries.Attempts(eventId).Count == 2, "two attempts");
        var attempts = StandIn.Deliveries.Attempts(eventId);
        attempts.Select(a => (a.Attempt, a.StatusCode, a.Outcome)).Should().Equal(
            (1, 500, WebhookDeliveryAttempt.RetryScheduled),
            (2, 200, WebhookDeliveryAttempt.Delivered));
        StandIn.Receiver.Received.Should().HaveCount(2);
        StandIn.Receiver.Received.Select(r => EventUtility.ConstructEvent(r.Payload, r.Signature, StandInHost.WebhookSecret).Id)
            .Should().Equal([eventId, eventId], "a retry is the same event");
    }

    [Fact]
    public async Task Given_fail_next_is_asked_for_When_an_event_is_sent_Then_the_first_attempt_fails_without_reaching_the_endpoint_and_the_retry_delivers()
    {
        await StandIn.ControlAsync(HttpMethod.Post, "/_standin/webhooks/fail-next?count=1");

        var eventId = await ExpireASessionAsync();

        await Eventually.True(() => StandIn.Deliveries.Attempts(eventId).Any(a => a.Outcome == WebhookDeliveryAttempt.Delivered), "a delivery");
        var attempts = StandIn.Deliveries.Attempts(eventId);
        attempts[0].StatusCode.Should().BeNull();
        attempts[0].Error.Should().Contain("simulated");
        attempts[1].Attempt.Should().Be(2);
        StandIn.Receiver.Received.Should().ContainSingle();
    }

    [Fact]
    public async Task Given_the_endpoint_always_fails_When_an_event_is_sent_Then_the_stand_in_gives_up_after_the_last_attempt()
    {
        StandIn.Receiver.FailAll();

        var eventId = await ExpireASessionAsync();

        await Eventually.True(() => StandIn.Deliveries.Attempts(eventId).Any(a => a.Outcome == WebhookDeliveryAttempt.GaveUp), "giving up");
        // Longer than the next retry would take (50 ms doubling: 50, 100, then 200): none comes.
        await Task.Delay(400);
        StandIn.Deliveries.Attempts(eventId).Select(a => a.Outcome).Should().Equal(
            WebhookDeliveryAttempt.RetryScheduled, WebhookDeliveryAttempt.RetryScheduled, WebhookDeliveryAttempt.GaveUp);
        StandIn.Receiver.Received.Should().HaveCount(StandInHost.MaxDeliveryAttempts);
    }

    [Fact]
    public async Task Given_a_delivered_event_When_it_is_resent_Then_the_endpoint_gets_the_same_event_again_and_the_log_lists_both()
    {
        var eventId = await ExpireASessionAsync();
        await Eventually.True(() => StandIn.Receiver.Accepted.Count == 1, "the first delivery");

        await StandIn.ControlAsync(HttpMethod.Post, $"/_standin/events/{eventId}/resend");

        await Eventually.True(() => StandIn.Receiver.Accepted.Count == 2, "the resent delivery");
        StandIn.Receiver.Accepted.Select(r => r.Payload).Distinct().Should().ContainSingle("a resend carries the same bytes");
        // The stand-in logs a delivery once the receiver's answer is back, a moment after the receiver counted it.
        string?[] outcomes = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(10); outcomes.Length < 2 && DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            using var log = JsonDocument.Parse(await StandIn.ControlAsync(HttpMethod.Get, $"/_standin/deliveries?eventId={eventId}"));
            outcomes = log.RootElement.EnumerateArray().Select(a => a.GetProperty("outcome").GetString()).ToArray();
        }
        outcomes.Should().Equal("delivered", "delivered");
    }
}
