using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Domain.Accounts;
using Marten;

namespace Ledger.Api.Integrity;

public sealed record IntegrityReport(Guid AccountId, bool Intact, long EventsChecked, long StreamVersion, long? FirstBrokenVersion, Guid? FirstBrokenEventId,
    string? Problem);

public static class IntegrityCheck
{
    /// <summary>Recomputes the account's hash chain from the rows as they are now and names the first event that no longer matches.</summary>
    public static async Task<IntegrityReport?> VerifyAsync(IQuerySession query, Guid accountId, CancellationToken ct)
    {
        var state = await query.Events.FetchStreamStateAsync(accountId, ct);
        if (state is null)
            return null;
        var events = await query.Events.FetchStreamAsync(accountId, token: ct);
        string? previous = null;
        long expected = 1;
        foreach (var e in events)
        {
            if (e.Version != expected)
                return Broken(expected, null, $"event version {expected} is missing: a row was deleted");
            var recorded = EventChain.Text(e, EventChain.Header);
            var actual = EventChain.Link(query, previous, e.Version, e.EventTypeName, e.Data,
                EventChain.Text(e, "actor"), EventChain.Text(e, "role"), EventChain.Text(e, "channel"));
            if (recorded is null || recorded != actual)
                return Broken(e.Version, e.Id, recorded is null
                    ? "the event carries no chain value (appended outside the ledger's write path, or its metadata was edited)"
                    : "its data, type or metadata no longer match what was recorded");
            previous = recorded;
            expected++;
        }
        return state.Version != events.Count
            ? Broken(events.Count + 1, null, $"the stream is at version {state.Version} but only {events.Count} events remain: the latest were deleted")
            : new IntegrityReport(accountId, true, events.Count, state.Version, null, null, null);

        IntegrityReport Broken(long version, Guid? eventId, string problem) =>
            new(accountId, false, events.Count, state.Version, version, eventId, problem);
    }

    public static void MapIntegrity(this WebApplication app) => app
        .MapGet("/api/accounts/{accountId:guid}/integrity", async (Guid accountId, HttpContext http, IQuerySession query) =>
            await VerifyAsync(query, accountId, http.RequestAborted) is { } report ? Results.Ok(report) : Problems.NotFound($"Account {accountId}"))
        .RequireAuthorization(Policies.Auditors)
        .WithTags("Audit")
        .WithName("VerifyAccountIntegrity")
        .WithSummary("Recompute the account's tamper-evidence hash chain; names the first event that was edited or deleted in the database.")
        .Produces<IntegrityReport>();

    /// <summary>`verify-ledger`: every account, one line per broken one, exit code 1 if any is broken.</summary>
    public static async Task<int> VerifyAllAsync(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var query = scope.ServiceProvider.GetRequiredService<IDocumentStore>().QuerySession();
        var ids = await query.Query<Account>().Select(a => a.Id).ToListAsync();
        var broken = 0;
        foreach (var id in ids)
        {
            var report = await VerifyAsync(query, id, CancellationToken.None);
            if (report is { Intact: false })
            {
                broken++;
                Console.WriteLine($"BROKEN {id} at version {report.FirstBrokenVersion}: {report.Problem}");
            }
        }
        Console.WriteLine($"{ids.Count} accounts verified, {broken} broken");
        return broken == 0 ? 0 : 1;
    }
}
