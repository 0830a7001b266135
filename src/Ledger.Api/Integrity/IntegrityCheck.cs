using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Integrity.Anchoring;
using Ledger.Projections;
using Marten;

namespace Ledger.Api.Integrity;

/// <summary>What kind of damage a check found; each names its own repair and its own suspect.</summary>
public static class Findings
{
    /// <summary>An event's data, type or metadata no longer matches its own chain link: edited in place.</summary>
    public const string Edited = "edited";

    /// <summary>A version is missing inside the stream, or the stream claims more versions than it has.</summary>
    public const string Deleted = "deleted";

    /// <summary>The chain is whole but no longer passes through the signed head: history was rewritten and its links recomputed.</summary>
    public const string Rewritten = "rewritten";

    /// <summary>The stream ends below the version it was anchored at: its latest events were deleted and its version lowered.</summary>
    public const string Truncated = "truncated";

    /// <summary>An anchored stream is gone altogether.</summary>
    public const string MissingStream = "missing-stream";
}

/// <summary>The anchor a check was made against: the file, its id and time, and the version it holds for this stream.</summary>
public sealed record AnchorReference(string File, Guid Id, DateTimeOffset TakenAt, long? AnchoredVersion);

public sealed record IntegrityReport(Guid AccountId, bool Intact, long EventsChecked, long StreamVersion, long? FirstBrokenVersion, Guid? FirstBrokenEventId,
    string? Problem, string? Finding = null, AnchorReference? Anchor = null, IReadOnlyList<AnchorSummary>? TamperedAnchors = null);

public static class IntegrityCheck
{
    /// <summary>
    /// Recomputes the account's hash chain from the rows as they are now and names the first event that no longer matches;
    /// with an anchor, also checks that the chain still passes through the head it signed — which a database owner who
    /// recomputes every link after an edit, or deletes the latest events and lowers the version, cannot fake.
    /// Null when the stream neither exists nor was anchored.
    /// </summary>
    public static async Task<IntegrityReport?> VerifyAsync(IQuerySession query, Guid accountId, AnchoredStream? anchored, CancellationToken ct)
    {
        var state = await query.Events.FetchStreamStateAsync(accountId, ct);
        if (state is null)
            return anchored is null ? null : new IntegrityReport(accountId, false, 0, 0, 1, null,
                $"the stream was anchored at version {anchored.Version} but is gone from the database", Findings.MissingStream);
        var events = await query.Events.FetchAsync(accountId, ct: ct);
        string? previous = null;
        long expected = 1;
        foreach (var e in events)
        {
            if (e.Version != expected)
                return Broken(expected, null, Findings.Deleted, $"event version {expected} is missing: a row was deleted");
            var recorded = EventHeaders.Text(e, EventHeaders.Chain);
            var actual = EventChain.Link(query, previous, e.Version, e.EventTypeName, e.Data,
                EventHeaders.Text(e, EventHeaders.Actor), EventHeaders.Text(e, EventHeaders.Role), EventHeaders.Text(e, EventHeaders.Channel));
            if (recorded is null || recorded != actual)
                return Broken(e.Version, e.Id, Findings.Edited, recorded is null
                    ? "the event carries no chain value (appended outside the ledger's write path, or its metadata was edited)"
                    : "its data, type or metadata no longer match what was recorded");
            if (anchored is not null && e.Version == anchored.Version && recorded != anchored.Head)
                return Broken(e.Version, e.Id, Findings.Rewritten,
                    $"the chain no longer passes through the head signed at version {anchored.Version}: events up to it were rewritten and their links recomputed");
            previous = recorded;
            expected++;
        }
        if (state.Version != events.Count)
            return Broken(events.Count + 1, null, Findings.Deleted,
                $"the stream is at version {state.Version} but only {events.Count} events remain: the latest were deleted");
        if (anchored is not null && events.Count < anchored.Version)
            return Broken(events.Count + 1, null, Findings.Truncated,
                $"the stream ends at version {events.Count} but was anchored at version {anchored.Version}: its latest events were deleted and its version lowered");
        return new IntegrityReport(accountId, true, events.Count, state.Version, null, null, null);

        IntegrityReport Broken(long version, Guid? eventId, string finding, string problem) =>
            new(accountId, false, events.Count, state.Version, version, eventId, problem, finding);
    }

    public static void MapIntegrity(this WebApplication app)
    {
        app.MapGet("/api/accounts/{accountId:guid}/integrity", (Guid accountId, HttpContext http, IQuerySession query, IServiceProvider services) =>
            AnchorEndpoints.OrStorageUnavailable(http, async () =>
            {
                var (latest, tampered) = services.GetService<AnchorStore>() is { } files
                    ? await files.LatestValidAsync(http.RequestAborted)
                    : (null, []);
                var anchored = latest?.Anchor!.Streams.FirstOrDefault(s => s.StreamId == accountId);
                return await VerifyAsync(query, accountId, anchored, http.RequestAborted) is { } report
                    ? Results.Ok(report with
                    {
                        Anchor = latest is null ? null : new AnchorReference(latest.File, latest.Anchor!.Id, latest.Anchor.TakenAt, anchored?.Version),
                        TamperedAnchors = tampered.Select(AnchorSummary.Of).ToList(),
                    })
                    : Problems.NotFound($"Account {accountId}");
            }))
            .RequireAuthorization(AccessPolicies.Auditors)
            .WithTags("Audit")
            .WithName("VerifyAccountIntegrity")
            .WithSummary("Recompute the account's hash chain and check it against the latest signed anchor; names the first event edited, " +
                "rewritten or deleted in the database, and any anchor file that fails its signature.")
            .Produces<IntegrityReport>();
        app.MapAnchors();
    }
}
