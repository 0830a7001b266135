using Ledger.Api.Access;
using Ledger.Api.Accounts.GettingDetails;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Marten;

namespace Ledger.Api.Integrity.Anchoring;

/// <summary>One anchor as listed: what it covers, who signed it with which key, and whether it still verifies.</summary>
public sealed record AnchorSummary(
    string File, Guid? Id, DateTimeOffset? TakenAt, string? TakenBy, int? StreamCount, string? Digest, string? KeyFingerprint, bool Valid, string? Problem)
{
    public static AnchorSummary Of(StoredAnchor stored) => new(stored.File, stored.Anchor?.Id, stored.Anchor?.TakenAt, stored.Anchor?.TakenBy,
        stored.Anchor?.StreamCount, stored.Anchor?.Digest, stored.Anchor?.KeyFingerprint, stored.Valid, stored.Problem);
}

public static class AnchorEndpoints
{
    public const int DefaultPageSize = 20;

    private static readonly Rejection Off = new("anchoring-off",
        "Anchoring is not configured on this service: set Ledger:Integrity:AnchorDirectory and a signing key (see docs/integrity.md).");

    /// <summary>A full disk or a directory the service may not write is an outage of the anchor store, not a bug: 503.</summary>
    public static async Task<IResult> OrStorageUnavailable(HttpContext http, Func<Task<IResult>> endpoint)
    {
        try
        {
            return await endpoint();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An operator has to free the disk or fix the directory's rights: a minute, not a tight loop.
            http.Response.Headers.RetryAfter = "60";
            return Problems.Rule(new Rejection("anchor-storage-unavailable",
                $"The anchor directory cannot be used right now ({e.GetType().Name}); nothing was recorded."), StatusCodes.Status503ServiceUnavailable);
        }
    }

    public static void MapAnchors(this WebApplication app)
    {
        var anchors = app.MapGroup("/api/integrity/anchors").WithTags("Audit");

        anchors.MapPost("/", (HttpContext http, IServiceProvider services, IDocumentStore store, TimeProvider clock) => OrStorageUnavailable(http, async () =>
            {
                if (services.GetService<AnchorSigning>() is not { } signing)
                    return Problems.Rule(Off, StatusCodes.Status409Conflict);
                var (anchor, file) = await TakingAnchors.TakeAsync(store, signing, services.GetRequiredService<AnchorStore>(),
                    Actor.From(http.User).UserId, clock, http.RequestAborted);
                return Results.Created((string?)null, AnchorSummary.Of(new StoredAnchor(file, anchor, null)));
            }))
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("TakeAnchor").Refuses(StatusCodes.Status409Conflict)
            .WithSummary("Sign the chain heads of every account stream now and append them as a new anchor file.")
            .Produces<AnchorSummary>(StatusCodes.Status201Created);

        anchors.MapGet("/", (int? page, int? pageSize, IServiceProvider services, HttpContext http) => OrStorageUnavailable(http, async () =>
            {
                if (Paging.Check(page, pageSize) is { } bad)
                    return Problems.Rule(bad, StatusCodes.Status400BadRequest);
                int current = page ?? 1, size = pageSize ?? DefaultPageSize;
                if (services.GetService<AnchorStore>() is not { } files)
                    return Results.Ok(new PagedResult<AnchorSummary>([], current, size, 0));
                var names = files.Names();
                var items = new List<AnchorSummary>();
                foreach (var name in names.Skip((int)Math.Min((current - 1L) * size, int.MaxValue)).Take(size))
                    items.Add(AnchorSummary.Of(await files.ReadAsync(name, http.RequestAborted)));
                return Results.Ok(new PagedResult<AnchorSummary>(items, current, size, names.Count));
            }))
            .RequireAuthorization(AccessPolicies.ReadAnchors)
            .WithName("ListAnchors")
            .WithSummary("The anchors taken so far, newest first, each verified against the trusted keys.")
            .Produces<PagedResult<AnchorSummary>>();
    }
}
