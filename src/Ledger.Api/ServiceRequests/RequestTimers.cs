using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain.ServiceRequests;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

/// <summary>A request's alert or escalation moment came (<see cref="CheckRequestTimers"/> decides which, if any).</summary>
public sealed record RequestTimerFired(Guid RequestId);

/// <summary>A draft's reminder or expiry moment came (<see cref="ReviewDraft"/>).</summary>
public sealed record DraftTimerFired(Guid RequestId);

/// <summary>
/// Timers are Wolverine's durable scheduled messages, written in the transaction of the event that calls for them: they
/// survive restarts and fire on whichever node is up. Firing is at least once; the decision they run is idempotent by the
/// request's state (a moment not come yet, or already acted on, decides nothing), so each alert and escalation happens once.
/// </summary>
public static class RequestTimers
{
    public static readonly Actor System = new("system:service-requests", "system", Channel.Desk, null);

    public static void Set(OutgoingMessages then, ServiceRequest request, IReadOnlyList<object> events, ServiceRequestPolicy policy)
    {
        foreach (var e in events)
            switch (e)
            {
                case ServiceRequestSubmitted or ServiceRequestCustomerAnswered or ServiceRequestEscalated when request is { IsOpen: true, DueAt: { } due }:
                    if (request.AlertAt is { } alert && request.AlertedLevel < request.Level)
                        then.Schedule(new RequestTimerFired(request.Id), alert);
                    if (request.Level < ServiceRequestPolicy.Manager || request.AlertedLevel < request.Level)
                        then.Schedule(new RequestTimerFired(request.Id), due);
                    break;
                case ServiceRequestDrafted or ServiceRequestDraftSaved when request is { Status: RequestStatus.Draft, DraftExpiresAt: { } expires }:
                    if (policy.DraftReminderDays > 0)
                        then.Schedule(new DraftTimerFired(request.Id), expires.AddDays(-policy.DraftReminderDays));
                    then.Schedule(new DraftTimerFired(request.Id), expires);
                    break;
            }
    }

    public static RequestContext Context(Guid requestId) => new(System, $"service-request-timer-{requestId:N}", null, null, null);
}

public static class RequestTimerFiredHandler
{
    public static Task<CommandOutcome> Handle(RequestTimerFired message, IMessageBus bus, CancellationToken ct) =>
        bus.InvokeAsync<CommandOutcome>(new WriteServiceRequest(new CheckRequestTimers(message.RequestId), RequestTimers.Context(message.RequestId)), ct);
}

public static class DraftTimerFiredHandler
{
    public static Task<CommandOutcome> Handle(DraftTimerFired message, IMessageBus bus, CancellationToken ct) =>
        bus.InvokeAsync<CommandOutcome>(new WriteServiceRequest(new ReviewDraft(message.RequestId), RequestTimers.Context(message.RequestId)), ct);
}
