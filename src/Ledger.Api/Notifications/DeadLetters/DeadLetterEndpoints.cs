using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;

namespace Ledger.Api.Notifications.DeadLetters;

public sealed record DeadLetterView(Guid Id, string MessageType, string ExceptionType, string ExceptionMessage, DateTimeOffset SentAt, bool Replayable,
    int Attempts, object? Message);

public sealed record ReplayResult(Guid Id, string Status);

/// <summary>
/// Messages Wolverine gave up on after their retries (notices whose SMTP server stayed away, above all), from its
/// dead-letter table in PostgreSQL. Replaying one marks it; Wolverine's durability agent moves it back to the inbox
/// within a few seconds, and the delivery record keeps a replay from sending twice.
/// </summary>
public static class DeadLetterEndpoints
{
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/api/operations/dead-letters").WithTags("Operations").RequireAuthorization(AccessPolicies.Admin);

        group.MapGet("/", async (string? messageType, IMessageStore store, HttpContext http) =>
            {
                var query = new DeadLetterEnvelopeQuery { PageSize = 500, MessageType = string.IsNullOrWhiteSpace(messageType) ? null : messageType };
                var results = await store.DeadLetters.QueryAsync(query, http.RequestAborted);
                return Results.Ok(results.Envelopes.Select(d => new DeadLetterView(d.Id, d.MessageType, d.ExceptionType, d.ExceptionMessage, d.SentAt,
                    d.Replayable, d.Envelope.Attempts, d.Message)).ToList());
            })
            .WithName("ListDeadLetters")
            .WithSummary("Messages that failed all their retries (e.g. notices that could not be sent), oldest first; ?messageType= filters.")
            .Produces<List<DeadLetterView>>();

        group.MapPost("/{deadLetterId:guid}/replay", async (Guid deadLetterId, IMessageStore store, HttpContext http) =>
            {
                if (await store.DeadLetters.DeadLetterEnvelopeByIdAsync(deadLetterId) is null)
                    return Problems.NotFound($"Dead letter {deadLetterId}");
                await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery { MessageIds = [deadLetterId] }, http.RequestAborted);
                return Results.Accepted(value: new ReplayResult(deadLetterId, "replaying"));
            })
            .WithName("ReplayDeadLetter").Produces<ReplayResult>(StatusCodes.Status202Accepted)
            .WithSummary("Put a dead letter back in the inbox; it is handled again within seconds (a notice already delivered is not sent twice).");
    }
}
