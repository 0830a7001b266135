using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Ledger.Domain.ServiceRequests;
using Marten;
using Wolverine;

namespace Ledger.Api.ServiceRequests;

/// <summary>One decision on one request's stream, with who asked (from the token), the If-Match version and the retry key.</summary>
public sealed record WriteServiceRequest(IServiceRequestCommand Command, RequestContext Context);

/// <summary>
/// The one write path of service requests: lock the request's stream, read the policy and the type, decide, append — and, in
/// the same transaction (Wolverine's outbox), set the timers the new state calls for and send the customer's notices.
/// </summary>
public static class WriteServiceRequestHandler
{
    public static async Task<(CommandOutcome, OutgoingMessages)> Handle(WriteServiceRequest message, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var id = message.Command.RequestId;
        var then = new OutgoingMessages();
        // No stream is ever opened with the empty id (new requests take version-7 ids); Marten refuses to look one up.
        if (id == Guid.Empty)
            return (CommandOutcome.Refused(id, 0, new Rejection("request-not-found", $"Service request {id} does not exist.")), then);
        var stream = await session.Events.FetchForExclusiveWriting<ServiceRequest>(id, ct);
        var version = stream.CurrentVersion ?? 0;
        if (message.Context.ExpectedVersion is { } expected && expected != version)
            return (CommandOutcome.Stale(id, version), then);
        var before = stream.Aggregate;
        var policy = await RequestReads.PolicyAsync(session, ct);
        var code = message.Command.TypeToRead ?? before?.TypeCode;
        var type = code is null || !RequestTypeCodes.Valid(code) ? null : await session.LoadAsync<RequestTypeState>(RequestTypeCodes.StreamIdFor(code), ct);
        var now = message.Context.Now(clock);
        var facts = new RequestFacts(now, new Poster(message.Context.Actor.UserId, message.Context.Actor.Role), policy.Current, type);
        var decision = message.Command.Decide(before, facts);
        if (decision.Rejection is { } rejection)
            return (CommandOutcome.Refused(id, version, rejection), then);
        if (decision.Events.Count == 0)
            return (new CommandOutcome(OutcomeKind.Applied, id, id, version, null, null, null) { Issued = false }, then);

        EventMetadata.Stamp(session, message.Context);
        stream.AppendMany(decision.Events.ToArray());
        var after = before;
        var at = version;
        foreach (var e in decision.Events)
            after = ServiceRequest.Evolve(after, e, ++at);
        RequestTimers.Set(then, after!, decision.Events, policy.Current);
        // A billing query that says the charge is wrong opens the dispute at once, as the person who submitted it.
        if (decision.Events.OfType<ServiceRequestSubmitted>().Any() && type?.Current.Action == ServiceAction.BillingQuery
            && after!.Fields.GetValueOrDefault("dispute") == "yes" && Guid.TryParse(after.Fields.GetValueOrDefault("entryId"), out var entryId))
            then.Add(new OpenRequestDispute(id, after.AccountId, entryId, after.Fields.GetValueOrDefault("question") ?? after.Number!, message.Context));
        if (RequestNotices.For(after!, type?.Current.Name ?? after!.TypeCode, decision.Events, at - decision.Events.Count + 1) is { } tell)
            then.Add(tell);
        // A retried request with the same Idempotency-Key gets this answer again (Writes.OnceAsync), with nothing appended twice.
        return (Infrastructure.Idempotency.IdempotencyRecord.Remember(session, message.Context, new CommandOutcome(OutcomeKind.Applied, id, id, at, null, null, null),
            now), then);
    }
}

/// <summary>What every request decision reads besides the request.</summary>
public static class RequestReads
{
    public static async Task<ServiceRequestPolicyState> PolicyAsync(IQuerySession query, CancellationToken ct) =>
        await query.LoadAsync<ServiceRequestPolicyState>(ServiceRequestPolicyState.StreamId, ct)
        ?? throw new InvalidOperationException("No service-request policy is recorded; PolicyBootstrap records one at start-up.");

    /// <summary>A request the caller may see: a customer only their own; null (404) for anything else, as for one that does not exist.</summary>
    public static async Task<ServiceRequest?> VisibleAsync(IQuerySession query, HttpContext http, Guid requestId)
    {
        var request = await query.LoadAsync<ServiceRequest>(requestId, http.RequestAborted);
        return request is not null && CanSee(Actor.From(http.User), request) ? request : null;
    }

    public static bool CanSee(Actor actor, ServiceRequest request) => actor.Role switch
    {
        Roles.Customer => actor.CustomerId is not null && request.CustomerId == actor.CustomerId,
        Roles.Csr or Roles.Manager or Roles.Auditor or Roles.Admin => true,
        _ => false,
    };
}
