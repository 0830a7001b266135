using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Opening;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

public sealed record AssignBrokerRequest(string? BrokerId);

public sealed record CallbackRequest(string? Note);

public sealed class CallbackRequestValidator : AbstractValidator<CallbackRequest>
{
    public CallbackRequestValidator() => RuleFor(r => r.Note).NotEmpty().MaximumLength(1000);
}

public sealed record CallbackOutcomeRequest(string? Outcome);

public sealed class CallbackOutcomeValidator : AbstractValidator<CallbackOutcomeRequest>
{
    public CallbackOutcomeValidator() => RuleFor(r => r.Outcome).NotEmpty().MaximumLength(1000);
}

public static class BrokerEndpoints
{
    public static void Map(RouteGroupBuilder accounts)
    {
        accounts.MapPut("/{accountId:guid}/broker", (Guid accountId, AssignBrokerRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query, new AssignBroker(accountId, string.IsNullOrWhiteSpace(body.BrokerId) ? null : body.BrokerId.Trim()), null))
            .RequireAuthorization(AccessPolicies.Desk)
            .WithTags("Collections")
            .WithName("AssignBroker").Write(created: false)
            .WithSummary("Put the account in a broker's book, move it to another's, or take it out (brokerId null); each change is an event.");

        // The broker is the one in the token, never one named in the body.
        accounts.MapPost("/{accountId:guid}/callback-requests", (Guid accountId, CallbackRequest body, HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query, new RequestCallback(accountId, Buckets.NewIdBeside(accountId), Actor.From(http.User).BrokerId!, body.Note!),
                    outcome => $"/api/accounts/{outcome.AccountId}"))
            .Validated<CallbackRequest>()
            .RequireAuthorization(AccessPolicies.Broker)
            .WithTags("Collections")
            .WithName("RequestCallback").Write()
            .WithSummary("Ask the desk to call the customer of an account in your book (broker); the note shows on the account for the desk.");

        accounts.MapPost("/{accountId:guid}/callback-requests/{requestId:guid}/completion", (Guid accountId, Guid requestId, CallbackOutcomeRequest body,
                HttpContext http, IMessageBus bus, IQuerySession query) =>
                Writes.SendAsync(http, bus, query, new CompleteCallback(accountId, requestId, body.Outcome!), null))
            .Validated<CallbackOutcomeRequest>()
            .RequireAuthorization(AccessPolicies.Desk)
            .WithTags("Collections")
            .WithName("CompleteCallback").Write(created: false)
            .WithSummary("Record a call a broker asked for as made, with how it went (desk).");
    }

    public static void MapBooks(this WebApplication app)
    {
        var brokers = app.MapGroup("/api/brokers").WithTags("Collections");
        brokers.MapGet("/me/book", (HttpContext http, IQuerySession query, TimeProvider clock) =>
                BookAsync(query, Actor.From(http.User).BrokerId!, clock, http.RequestAborted))
            .RequireAuthorization(AccessPolicies.Broker)
            .WithName("GetMyBook")
            .WithSummary("The accounts of your book (broker), most urgent first: the soonest cancellation, then the longest past due.")
            .Produces<BrokerBook>();
        brokers.MapGet("/{brokerId}/book", async (string brokerId, HttpContext http, IQuerySession query, TimeProvider clock) =>
                CustomerIds.IsValid(brokerId)
                    ? await BookAsync(query, brokerId, clock, http.RequestAborted)
                    : Problems.Rule(new Rejection("broker-id-invalid", "'brokerId' is 1 to 64 letters, digits, '.', '_', ':' or '-'.", "brokerId"), 400))
            .RequireAuthorization(AccessPolicies.StaffRead)
            .WithName("GetBrokerBook")
            .WithSummary("A broker's book as the broker sees it (staff).")
            .Produces<BrokerBook>()
            .Refuses(StatusCodes.Status400BadRequest);
        brokers.MapGet("/me/risk-changes", (HttpContext http, RiskFeed feed) => RiskChanges(http, feed))
            .RequireAuthorization(AccessPolicies.Broker)
            .WithName("WatchMyBook")
            .Produces<CancellationRiskChanged>(StatusCodes.Status200OK, "text/event-stream")
            .WithSummary("Server-sent events: a 'cancellation-risk-changed' event (the account's risk as it now stands) each time the risk of an account " +
                         "of your book changes (broker). The portal's book page listens to the same stream.");
    }

    /// <summary>
    /// The caller's book changes as server-sent events, until they hang up: first a <c>watching</c> event (the stream is open and
    /// changes from now on will come), then a <c>cancellation-risk-changed</c> event per change.
    /// </summary>
    public static IResult RiskChanges(HttpContext http, RiskFeed feed)
    {
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.ServerSentEvents(Changes(feed, Actor.From(http.User).BrokerId!, http.RequestAborted));
    }

    private static async IAsyncEnumerable<System.Net.ServerSentEvents.SseItem<object>> Changes(RiskFeed feed, string brokerId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        yield return new System.Net.ServerSentEvents.SseItem<object>(new { brokerId }, "watching");
        await foreach (var change in feed.WatchAsync(brokerId, ct))
            yield return new System.Net.ServerSentEvents.SseItem<object>(change, "cancellation-risk-changed");
    }

    private static async Task<IResult> BookAsync(IQuerySession query, string brokerId, TimeProvider clock, CancellationToken ct) =>
        Results.Ok(await BrokerBooks.ReadAsync(query, brokerId, clock, ct));
}
