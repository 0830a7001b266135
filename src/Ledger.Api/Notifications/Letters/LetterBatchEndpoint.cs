using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Statements;
using Ledger.Domain;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using UglyToad.PdfPig.Writer;

namespace Ledger.Api.Notifications.Letters;

/// <summary>
/// The print house's file for one day: every letter queued that day (UTC), in queuing order, each followed by its
/// enclosure (a bill exactly as issued). Only for days that are over, so a batch never changes once it can be fetched.
/// </summary>
public static class LetterBatchEndpoint
{
    public static void Map(WebApplication app) => app
        .MapGet("/api/correspondence/batches/{day}", async (string day, IQuerySession query, TimeProvider clock, HttpContext http) =>
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", out var batchDay))
                return Problems.Rule(new Rejection("day-invalid", "'day' is a date as yyyy-MM-dd.", "day"), 400);
            if (batchDay >= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
                return Problems.Rule(new Rejection("day-not-over", $"The batch for {day} is complete once the day is over (UTC).", "day", IsConflict: true), 409);
            // Each letter, and the bill it encloses, is kept in its account's database: with several, every one of them.
            var found = new List<(Letter Letter, byte[]? Enclosure)>();
            var sessions = query.DocumentStore.IsSharded() ? await query.DocumentStore.QueryEveryDatabaseAsync() : [query];
            foreach (var session in sessions)
                foreach (var letter in await session.Query<Letter>().Where(l => l.BatchDay == batchDay).ToListAsync(http.RequestAborted))
                    found.Add((letter, letter.EnclosureSha256 is { } sha
                        ? await StatementDocuments.LoadAsync(session, sha, http.RequestAborted)
                          // a service request's signed proof of completion, kept in the main database
                          ?? await ServiceRequests.RequestDocuments.LoadAsync(query, sha, http.RequestAborted)
                          ?? throw new InvalidOperationException($"The document {sha} enclosed with letter {letter.Id} is not stored.")
                        : null));
            foreach (var session in sessions.Where(s => !ReferenceEquals(s, query)))
                await session.DisposeAsync();
            if (found.Count == 0)
                return Problems.NotFound($"Letters for {day}");
            var letters = found.OrderBy(f => f.Letter.QueuedAt).ThenBy(f => f.Letter.Id).ToList();
            var documents = new List<byte[]>();
            foreach (var (letter, enclosure) in letters)
            {
                documents.Add(letter.Pdf);
                if (enclosure is not null)
                    documents.Add(enclosure);
            }
            var batch = DeterministicPdf.WithId(PdfMerger.Merge(documents), $"batch|{day}|{string.Join(',', letters.Select(l => l.Letter.Id))}");
            http.Response.Headers["X-Letter-Count"] = letters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(batch, "application/pdf", $"letters-{day}.pdf");
        })
        .RequireAuthorization(AccessPolicies.Admin)
        .RateLimited(RateLimitRule.Downloads)
        .WithTags("Operations")
        .WithName("GetLetterBatch").File(Answers.Pdf).Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict)
        .WithSummary("The day's paper letters as one PDF for the print house (X-Letter-Count header); only for days that are over.");
}
