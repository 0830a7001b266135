using System.Text.RegularExpressions;
using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Marten;
using JasperFx;
using Microsoft.AspNetCore.Mvc;
using Wolverine;

namespace Ledger.Api.Accounts.Writing;

/// <summary>The HTTP half of a write: build the context from headers and token, invoke the handler, map the outcome.</summary>
public static partial class Writes
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string CorrelationIdHeader = "X-Correlation-Id";

    /// <summary>The request's context; <paramref name="actor"/> stands in for a caller the token does not name (a confirmation link's holder).</summary>
    public static RequestContext Context(HttpContext http, Actor? actor = null)
    {
        var key = http.Request.Headers[IdempotencyKeyHeader].ToString();
        return new RequestContext(
            actor ?? Actor.From(http.User),
            CorrelationOf(http),
            ExpectedVersion(http),
            string.IsNullOrEmpty(key) ? null : key,
            http.Items[RequestInspection.BodyHashItem] as string ?? "no-body");
    }

    /// <summary>
    /// The request's correlation id: the caller's <c>X-Correlation-Id</c> when it is a safe token (and no card number, which
    /// <see cref="RequestInspection"/> refuses anyway), else the trace id. It goes into event metadata and every log line.
    /// </summary>
    public static string CorrelationOf(HttpContext http)
    {
        var correlation = http.Request.Headers[CorrelationIdHeader].ToString();
        return SafeToken().IsMatch(correlation) && !Domain.Payments.CardNumbers.LooksLikeCardNumber(correlation)
            ? correlation
            : System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier;
    }

    /// <summary>
    /// Sends the command through Wolverine to the one write path (see <see cref="OutcomeAsync"/>) and maps the answer to HTTP;
    /// <paramref name="context"/> replaces the request's own (<see cref="Context"/>) where a use case needs another.
    /// </summary>
    public static async Task<IResult> SendAsync(HttpContext http, IMessageBus bus, IQuerySession query, IAccountCommand command,
        Func<CommandOutcome, string>? location, RequestContext? context = null)
    {
        context ??= Context(http);
        if (BadIdempotencyKey(context) is { } refused)
            return refused;
        return (await OutcomeAsync(bus, query, new AccountWrite(command, context), http.RequestAborted)).ToHttp(http, location);
    }

    /// <summary>The 400 for an Idempotency-Key header that is not 1 to 100 safe characters, or null for a good one (or none).</summary>
    public static IResult? BadIdempotencyKey(RequestContext context) =>
        context.IdempotencyKey is { } key && (key.Length > 100 || !SafeToken().IsMatch(key))
            ? Problems.Rule(new Rejection("idempotency-key-invalid",
                "The Idempotency-Key header is 1 to 100 characters of letters, digits, '-', '_', '.' or ':'.", IdempotencyKeyHeader), 400)
            : null;

    /// <summary>
    /// The decision on a message, or the first answer again for a repeated Idempotency-Key (the API's header, the
    /// portal's hidden form field). Two racing requests with the same key cannot both commit: the record's primary
    /// key lets one in, the other rolls back (events included) and replays the winner's answer.
    /// </summary>
    public static async Task<CommandOutcome> OutcomeAsync(IMessageBus bus, IQuerySession query, AccountWrite write, CancellationToken ct)
    {
        // The answer is remembered next to the account's events: with several databases, in its bucket's.
        await using var own = query.DocumentStore.IsSharded() ? query.DocumentStore.QueryFor(write.AccountId) : null;
        return await OnceAsync(bus, own ?? query, write.Context, write, write.AccountId, ct);
    }

    /// <summary>
    /// Any write whose handler remembers its answer (<see cref="IdempotencyRecord.Remember"/>): the first answer again for a
    /// repeated Idempotency-Key, else the handler's.
    /// </summary>
    public static async Task<CommandOutcome> OnceAsync(IMessageBus bus, IQuerySession query, RequestContext context, object message, Guid resourceId,
        CancellationToken ct)
    {
        if (context.IdempotencyKey is { } key && await Replay(query, context, key, ct) is { } replayed)
            return replayed;
        try
        {
            return await bus.InvokeAsync<CommandOutcome>(message, ct);
        }
        catch (DocumentAlreadyExistsException) when (context.IdempotencyKey is { } raced)
        {
            return await Replay(query, context, raced, ct)
                ?? CommandOutcome.Refused(resourceId, 0, new Rejection("concurrent-update", "Retry the request.", IsConflict: true));
        }
    }

    /// <summary>The first answer to a repeated Idempotency-Key, or null for a key not used yet.</summary>
    public static async Task<CommandOutcome?> Replay(IQuerySession query, RequestContext context, string key, CancellationToken ct)
    {
        var record = await query.LoadAsync<IdempotencyRecord>(IdempotencyRecord.IdFor(context.Actor, key), ct);
        if (record is null)
            return null;
        return record.RequestHash == context.RequestHash
            ? record.Outcome
            : CommandOutcome.Refused(record.Outcome.AccountId, record.Outcome.Version, new Rejection("idempotency-key-reused",
                $"The Idempotency-Key '{key}' was already used for a different request; use a new key for a new request.", IdempotencyKeyHeader));
    }

    public static IResult ToHttp(this CommandOutcome outcome, HttpContext http, Func<CommandOutcome, string>? location)
    {
        if (Refusal(outcome) is { } refused)
        {
            if (outcome.Kind == OutcomeKind.Stale)
                http.Response.Headers.ETag = ETags.For(outcome.Version);
            return TypedResults.Problem(refused);
        }
        switch (outcome.Kind)
        {
            case OutcomeKind.Pending:
                http.Response.Headers.ETag = ETags.For(outcome.Version);
                return TypedResults.Accepted($"/api/approvals/{outcome.ResourceId}",
                    new PendingResult(outcome.ResourceId!.Value, outcome.AccountId, "pending", outcome.ExceededLimit!, outcome.Version, outcome.Balance));
            default:
                http.Response.Headers.ETag = ETags.For(outcome.Version);
                var body = new WriteResult(outcome.ResourceId ?? outcome.AccountId, outcome.AccountId,
                    outcome.ResourceId == outcome.AccountId ? null : outcome.ResourceId, outcome.Version, outcome.Balance, outcome.Currency);
                return location is null ? TypedResults.Ok(body) : TypedResults.Created(location(outcome), body);
        }
    }

    /// <summary>The ProblemDetails of an answer that refused (its status included), or null for one that wrote or parked.</summary>
    public static ProblemDetails? Refusal(CommandOutcome outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => Problems.Describe(new Rejection("not-found", $"Account {outcome.AccountId} does not exist or is not visible to you."),
            StatusCodes.Status404NotFound),
        OutcomeKind.Stale => Problems.Describe(new Rejection("version-mismatch",
            $"If-Match names a version the account no longer has; it is now at version {outcome.Version}. Reload and retry.", "If-Match"),
            StatusCodes.Status412PreconditionFailed),
        OutcomeKind.Rejected => Problems.Describe(outcome.Rejection!,
            outcome.Rejection!.IsConflict ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity),
        _ => null,
    };

    public static bool IsSafeToken(string value) => SafeToken().IsMatch(value);

    private static long? ExpectedVersion(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrEmpty(header))
            return null;
        return ETags.TryParse(header, out var version) ? version : -1; // an unreadable If-Match never matches
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$")]
    private static partial Regex SafeToken();
}

/// <summary>The answer to every successful write: the new resource, and the account's version and balance after it.</summary>
public sealed record WriteResult(Guid Id, Guid AccountId, Guid? EntryId, long Version, decimal? Balance, string? Currency);

/// <summary>A posting over the poster's limit: recorded as a request on the account, waiting for a manager.</summary>
public sealed record PendingResult(Guid ApprovalId, Guid AccountId, string Status, string ExceededLimit, long Version, decimal? Balance);

public static class ETags
{
    public static string For(long version) => $"\"{version}\"";

    public static bool TryParse(string header, out long version)
    {
        var value = header.Trim();
        if (value.StartsWith("W/", StringComparison.Ordinal))
            value = value[2..];
        return long.TryParse(value.Trim('"'), out version);
    }
}
