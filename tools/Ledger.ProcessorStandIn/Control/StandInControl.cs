using System.Text;
using Ledger.ProcessorStandIn.Disputes;
using Ledger.ProcessorStandIn.State;
using Ledger.ProcessorStandIn.Webhooks;
using Ledger.ProcessorStandIn.Wire;

namespace Ledger.ProcessorStandIn.Control;

/// <summary>
/// <c>/_standin/…</c>: what tests and demos need that Stripe does from its dashboard or the card networks: see the
/// events and their deliveries, resend one, decide a dispute, and make deliveries fail to exercise retries.
/// </summary>
public static class StandInControl
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var control = routes.MapGroup("/_standin").ExcludeFromDescription();
        control.MapGet("/events", (string? type, ProcessorState state) => EventList(
            state.Read(records => records.Events.Where(e => type is null || e.Type == type).Select(e => e.Payload).ToArray())));
        control.MapPost("/events/{id}/resend", (string id, ProcessorState state, WebhookQueue webhooks) =>
        {
            if (state.Read(records => records.Events.FirstOrDefault(e => e.Id == id)) is not { } stripeEvent)
                return StripeErrors.ResourceMissing("event", id, "id");
            webhooks.Publish(stripeEvent);
            return new StripeReply(StatusCodes.Status202Accepted, stripeEvent.Payload);
        });
        control.MapGet("/deliveries", (string? eventId, WebhookDeliveryLog log) => Results.Json(log.Attempts(eventId), StripeJson.Options));
        control.MapPost("/webhooks/fail-next", (int? count, WebhookQueue webhooks) =>
        {
            var failing = Math.Max(1, count ?? 1);
            webhooks.FailNext(failing);
            return Results.Json(new { FailingNext = failing }, StripeJson.Options);
        });
        control.MapGet("/disputes", (ProcessorState state) =>
            Results.Json(state.Read(records => records.Disputes.Values.ToArray()), StripeJson.Options));
        control.MapPost("/disputes/{id}/close", (string id, string? outcome, ProcessorState state) =>
            state.Change((records, now) => DisputeClosing.Close(records, id, outcome, now)));
    }

    // The stored payloads are JSON already; they are joined, not parsed and written again.
    private static StripeReply EventList(IReadOnlyList<string> payloads)
    {
        var json = new StringBuilder("[");
        json.AppendJoin(',', payloads);
        return new StripeReply(StatusCodes.Status200OK, json.Append(']').ToString());
    }
}
