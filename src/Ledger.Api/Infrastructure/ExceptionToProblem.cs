using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Ledger.Api.Infrastructure;

/// <summary>
/// The last line of defence: whatever escapes an endpoint becomes a ProblemDetails without a stack trace.
/// Binding failures are the caller's fault (400), a database that is down is ours but temporary (503).
/// </summary>
public sealed class ExceptionToProblem(IProblemDetailsService problems, ILogger<ExceptionToProblem> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500)
            logger.LogError(exception, "Request {Method} {Path} failed: {Title}", context.Request.Method, context.Request.Path, problem.Title);

        context.Response.StatusCode = problem.Status!.Value;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = "5";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = null });
    }

    private static ProblemDetails Describe(Exception exception) => exception switch
    {
        BadHttpRequestException { InnerException: JsonException json } => Problem(400, "malformed-json",
            json.Path is { Length: > 1 } path
                ? $"The request body is not valid JSON for this endpoint at '{path.TrimStart('$', '.')}': {FirstSentence(json.Message)}"
                : $"The request body is not valid JSON: {FirstSentence(json.Message)}",
            json.Path?.TrimStart('$', '.')),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(413, "body-too-large",
            "The request body is larger than this service accepts."),
        BadHttpRequestException bad => Problem(bad.StatusCode, "bad-request", FirstSentence(bad.Message)),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException => Problem(409, "concurrent-update",
            "The account was changed by several writers at once and this request could not be applied; retry it."),
        Databases.BucketMovingException moving => Problem(503, "bucket-moving",
            $"This account's data is being moved to another database (bucket {moving.Move.Bucket}); nothing was recorded. Reads still work; " +
            "send the write again shortly with the same Idempotency-Key."),
        _ when DatabaseAway(exception) => Problem(503, "database-unavailable",
            "The ledger's database is not reachable right now. Retry shortly; send a write again with the same Idempotency-Key " +
            "and it is applied exactly once, whether or not this attempt reached the database."),
        _ => Problem(500, "internal-error", "The request failed on our side; nothing was recorded. The error is logged."),
    };

    /// <summary>Anything caused by the connection to PostgreSQL failing, however Marten or Wolverine wrapped it.</summary>
    private static bool DatabaseAway(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
                return true;
        return false;
    }

    private static ProblemDetails Problem(int status, string rule, string detail, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Title = rule, Type = Problems.RuleTypeBase + rule, Detail = detail };
        problem.Extensions["rule"] = rule;
        if (!string.IsNullOrEmpty(field))
        {
            problem.Extensions["field"] = field;
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }
        return problem;
    }

    // System.Text.Json messages carry "Path: ... | LineNumber: ..." tails that add noise, not meaning.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
