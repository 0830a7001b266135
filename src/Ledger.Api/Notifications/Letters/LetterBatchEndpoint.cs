using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Statements;
using Ledger.Domain;
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
            var letters = await query.Query<Letter>().Where(l => l.BatchDay == batchDay).OrderBy(l => l.QueuedAt).ToListAsync(http.RequestAborted);
            if (letters.Count == 0)
                return Problems.NotFound($"Letters for {day}");
            var documents = new List<byte[]>();
            foreach (var letter in letters.OrderBy(l => l.QueuedAt).ThenBy(l => l.Id))
            {
                documents.Add(letter.Pdf);
                if (letter.EnclosureSha256 is { } sha)
                    documents.Add(await StatementDocuments.LoadAsync(query, sha, http.RequestAborted)
                        ?? throw new InvalidOperationException($"The bill {sha} enclosed with letter {letter.Id} is not stored."));
            }
            var batch = DeterministicPdf.WithId(PdfMerger.Merge(documents), $"batch|{day}|{string.Join(',', letters.Select(l => l.Id))}");
            http.Response.Headers["X-Letter-Count"] = letters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.File(batch, "application/pdf", $"letters-{day}.pdf");
        })
        .RequireAuthorization(AccessPolicies.Admin)
        .RateLimited(RateLimitRule.Downloads)
        .WithTags("Operations")
        .WithName("GetLetterBatch").File(Answers.Pdf).Refuses(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict)
        .WithSummary("The day's paper letters as one PDF for the print house (X-Letter-Count header); only for days that are over.");
}
