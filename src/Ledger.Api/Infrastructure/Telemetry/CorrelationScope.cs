using System.Diagnostics;
using Ledger.Api.Accounts.Writing;

namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>
/// Puts the request's correlation id (<see cref="Writes.CorrelationOf"/>) into the log scope of everything the request logs,
/// beside the trace and span ids ASP.NET Core puts there, and onto the request's span, so a support case quoting either id
/// finds the request's lines and its trace.
/// </summary>
public sealed class CorrelationScope(RequestDelegate next, ILoggerFactory loggers)
{
    public const string ScopeKey = "CorrelationId";
    public const string SpanTag = "ledger.correlation_id";

    private readonly ILogger log = loggers.CreateLogger("Ledger.Requests");

    public async Task InvokeAsync(HttpContext context)
    {
        var correlation = Writes.CorrelationOf(context);
        Activity.Current?.SetTag(SpanTag, correlation);
        using (log.BeginScope(new KeyValuePair<string, object>[] { new(ScopeKey, correlation) }))
            await next(context);
    }
}
