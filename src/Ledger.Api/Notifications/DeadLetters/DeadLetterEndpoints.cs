using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;

namespace Ledger.Api.Notifications.DeadLetters;

public sealed record DeadLetterView(Guid Id, string MessageType, string ExceptionType, string ExceptionMessage, DateTimeOffset SentAt, bool Replayable,
    int Attempts, object? Message);

public sealed record ReplayResult(Guid Id, string Status);

public sealed record ReplayKindRequest(string? MessageType);

public sealed record ReplayKindResult(string MessageType, int Count, string Status);

public sealed class ReplayKindValidator : AbstractValidator<ReplayKindRequest>
{
    public ReplayKindValidator() => RuleFor(r => r.MessageType).NotEmpty().MaximumLength(500);
}

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

        group.MapGet("/", async (string? messageType, IMessageStore store, HttpContext http) => Results.Ok(await ListAsync(store, messageType, http.RequestAborted)))
            .WithName("ListDeadLetters")
            .WithSummary("Messages that failed all their retries (e.g. notices that could not be sent), oldest first; ?messageType= filters.")
            .Produces<List<DeadLetterView>>();

        group.MapPost("/{deadLetterId:guid}/replay", async (Guid deadLetterId, IMessageStore store, HttpContext http) =>
            {
                if (!await ReplayOneAsync(store, deadLetterId, http.RequestAborted))
                    return Problems.NotFound($"Dead letter {deadLetterId}");
                return Results.Accepted(value: new ReplayResult(deadLetterId, "replaying"));
            })
            .WithName("ReplayDeadLetter").Produces<ReplayResult>(StatusCodes.Status202Accepted)
            .WithSummary("Put a dead letter back in the inbox; it is handled again within seconds (a notice already delivered is not sent twice).");

        group.MapPost("/replays", async (ReplayKindRequest body, IMessageStore store, HttpContext http) =>
            {
                var count = await ReplayKindAsync(store, body.MessageType!, http.RequestAborted);
                return Results.Accepted(value: new ReplayKindResult(body.MessageType!, count, count == 0 ? "none" : "replaying"));
            })
            .Validated<ReplayKindRequest>()
            .WithName("ReplayDeadLettersOfType").Produces<ReplayKindResult>(StatusCodes.Status202Accepted)
            .WithSummary("Put every dead letter of one message type back in the inbox (after the cause is fixed: the SMTP server is back, say); " +
                         "up to 500 a call, 'count' says how many.");
    }

    public static async Task<List<DeadLetterView>> ListAsync(IMessageStore store, string? messageType, CancellationToken ct)
    {
        var query = new DeadLetterEnvelopeQuery { PageSize = 500, MessageType = string.IsNullOrWhiteSpace(messageType) ? null : messageType };
        var results = await store.DeadLetters.QueryAsync(query, ct);
        return results.Envelopes.Select(d => new DeadLetterView(d.Id, d.MessageType, d.ExceptionType, d.ExceptionMessage, d.SentAt,
            d.Replayable, d.Envelope.Attempts, d.Message)).ToList();
    }

    /// <summary>False when there is no such dead letter (replayed already, or never).</summary>
    public static async Task<bool> ReplayOneAsync(IMessageStore store, Guid deadLetterId, CancellationToken ct)
    {
        if (await store.DeadLetters.DeadLetterEnvelopeByIdAsync(deadLetterId) is null)
            return false;
        await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery { MessageIds = [deadLetterId] }, ct);
        return true;
    }

    /// <summary>The dead letters of the type by id, up to 500 a call (as many as the list shows): a second call takes the rest.</summary>
    public static async Task<int> ReplayKindAsync(IMessageStore store, string messageType, CancellationToken ct)
    {
        var ids = new List<Guid>();
        var query = new DeadLetterEnvelopeQuery { PageSize = 500, MessageType = messageType };
        ids.AddRange((await store.DeadLetters.QueryAsync(query, ct)).Envelopes.Select(d => d.Id));
        if (ids.Count > 0)
            await store.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery { MessageIds = [.. ids] }, ct);
        return ids.Count;
    }
}
