using System.Globalization;
using System.Text.Json;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Domain.Accounts.Lifecycle;
using Marten;

namespace Ledger.Api.Accounts.Lifecycle;

/// <summary>
/// `archive-closed --closed-before DATE [--reason TEXT] [--dry-run]` (docs/capacity.md, "Hot and cold events"): every
/// account closed before the cut-off, in every database, is first recorded as archived through the write path
/// (<see cref="ArchiveAccount"/>: settled, nothing open, or it is left alone with the rule it fails), then its stream is
/// archived with Marten's <c>ArchiveStream</c>. The streams beside it stay hot: a bill reprinted years later, and any
/// notice, is still recorded there. With
/// <see cref="MartenSetup.ArchivePartitioningKey"/> on, that moves the rows to the archived partitions. The move updates
/// <c>mt_events</c>, which the runtime role may not: run it as the schema owner, like `migrate`. Run again after a crash,
/// it finishes what the last run recorded but did not move. Prints one JSON report; exit code 1 when any account was left.
/// </summary>
public static class ArchiveClosedCommand
{
    private static readonly Actor Archivist = new("system:archive-closed", "system", Channel.Desk, null);

    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        string? Option(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        var clock = app.Services.GetRequiredService<TimeProvider>();
        if (Option("--closed-before") is not { } text
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var cutoff))
            return Fail("usage: archive-closed --closed-before DATE [--reason TEXT] [--dry-run]   (DATE as 2025-12-31 or an ISO 8601 moment, UTC unless it says)");
        if (cutoff > clock.GetUtcNow())
            return Fail($"--closed-before {cutoff:O} is in the future: only accounts closed before now can be archived.");
        var reason = Option("--reason") ?? $"closed before {cutoff:yyyy-MM-dd}";
        var dryRun = args.Contains("--dry-run");

        await app.StartAsync();
        var store = app.Services.GetRequiredService<IDocumentStore>();
        var writer = app.Services.GetRequiredService<GroupCommit>();
        var candidates = new List<Guid>();
        // Closed before the cut-off, and a stream still in the hot partition: so a second run redoes nothing, and a run
        // after a crash between the two steps moves what the last one recorded.
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                candidates.AddRange(await query.AdvancedSql.QueryAsync<Guid>(
                    $"""
                     select d.id from {MartenSetup.Schema}.mt_doc_account d join {MartenSetup.Schema}.mt_streams s on s.id = d.id
                     where d.data->>'status' = 'Closed' and (d.data->>'closedAt')::timestamptz < ? and not s.is_archived
                     order by d.id
                     """, CancellationToken.None, cutoff));

        var archived = new List<Guid>();
        var left = new List<object>();
        foreach (var id in candidates)
        {
            if (dryRun)
                continue;
            var context = new RequestContext(Archivist, $"archive-closed-{id:N}", null, null, null);
            var outcome = await writer.WriteAsync(new AccountWrite(new ArchiveAccount(id, cutoff, reason), context), CancellationToken.None);
            if (outcome.Kind != OutcomeKind.Applied)
            {
                left.Add(new { accountId = id, rule = outcome.Rejection?.Rule ?? outcome.Kind.ToString(), message = outcome.Rejection?.Message });
                continue;
            }
            await using var session = store.SessionFor(id);
            session.Events.ArchiveStream(id);
            await session.SaveChangesAsync();
            archived.Add(id);
        }
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            closedBefore = cutoff,
            dryRun,
            candidates = candidates.Count,
            archived = archived.Count,
            left,
            accounts = dryRun ? candidates : archived,
        }, new JsonSerializerOptions { WriteIndented = true }));
        await app.StopAsync();
        return left.Count == 0 ? 0 : 1;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"archive-closed: {message}");
        return 2;
    }
}
