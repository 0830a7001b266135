using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Policies;
using Ledger.Domain.Corporate;
using Ledger.Domain.Policies;
using Marten;
using Wolverine;

namespace Ledger.Api.Corporate;

/// <summary>
/// A corporate customer's desk limits: its own (with their version) in force for credits, refunds and corrections to its
/// member accounts, or none (<see cref="Limits"/> null: the limits policy applies, at <see cref="PolicyVersion"/>).
/// </summary>
public sealed record CorporateLimitsView(string CorporateId, long Version, LimitsPolicy? Limits, long PolicyVersion);

/// <summary>One change of a corporate customer's desk limits: what it was, what it became, who, when and why.</summary>
public sealed record CorporateLimitsChange(long Version, LimitsPolicy? Previous, LimitsPolicy? Current, string Reason, DateTimeOffset ChangedAt, string ChangedBy);

public sealed record ChangeCorporateLimitsRequest(LimitsPolicy? Limits, string? Reason);

public sealed class ChangeCorporateLimitsValidator : AbstractValidator<ChangeCorporateLimitsRequest>
{
    public ChangeCorporateLimitsValidator()
    {
        RuleFor(r => r.Limits!.Csr).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Limits!.Manager).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record ChangeCorporateLimits(string CorporateId, LimitsPolicy? Limits, string Reason, RequestContext Context);

public static class ChangeCorporateLimitsHandler
{
    /// <summary>On the customer's own limits stream, as the limits policy is changed on its own: under If-Match's version, with a reason.</summary>
    public static Task<CommandOutcome> Handle(ChangeCorporateLimits message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        PolicyStreams.ChangeAsync<CorporateLimitsState>(session, CorporateLimitsState.StreamIdFor(message.CorporateId), message.Context,
            current => CorporateLimitsState.Change(current, message.CorporateId, message.Limits, message.Reason, message.Context.Now(clock)), ct);
}

public static class DeskLimitEndpoints
{
    public static void MapCorporateDeskLimits(this RouteGroupBuilder corporates)
    {
        corporates.MapGet("/{corporateId}/limits", async (string corporateId, HttpContext http, IQuerySession query) =>
            {
                if (await KnownAsync(query, corporateId, http.RequestAborted) is { } missing)
                    return missing;
                var own = await query.LoadAsync<CorporateLimitsState>(CorporateLimitsState.StreamIdFor(corporateId), http.RequestAborted);
                var policy = await query.LoadAsync<PolicyState>(PolicyState.StreamId, http.RequestAborted);
                http.Response.Headers.ETag = ETags.For(own?.Version ?? 0);
                return Results.Ok(new CorporateLimitsView(corporateId, own?.Version ?? 0, own?.Current, policy?.Version ?? 0));
            })
            .RequireAuthorization(AccessPolicies.StaffRead)
            .WithName("GetCorporateLimits").Versioned()
            .WithSummary("The desk limits for a corporate customer's member accounts: its own (and their version, for If-Match), or none — the " +
                         "limits policy applies.")
            .Produces<CorporateLimitsView>()
            .Refuses(StatusCodes.Status404NotFound);

        corporates.MapPut("/{corporateId}/limits", async (string corporateId, ChangeCorporateLimitsRequest body, HttpContext http, IQuerySession query,
                IMessageBus bus) =>
            {
                if (await KnownAsync(query, corporateId, http.RequestAborted) is { } missing)
                    return missing;
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangeCorporateLimits(corporateId, body.Limits, body.Reason!, Writes.Context(http)),
                    http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<ChangeCorporateLimitsRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("ChangeCorporateLimits").Write(created: false, onAccount: false)
            .Refuses(StatusCodes.Status404NotFound)
            .WithSummary("Set a corporate customer's own desk limits (admin, with a reason; 'limits' null: the limits policy again). Credits, " +
                         "refunds and corrections to its member accounts are decided under them from then on, and record them by name and " +
                         "version (\"corporate:{id}/csr.within-limits\"). If-Match guards against a concurrent change.");

        corporates.MapGet("/{corporateId}/limits/history", async (string corporateId, HttpContext http, IQuerySession query) =>
            {
                if (await KnownAsync(query, corporateId, http.RequestAborted) is { } missing)
                    return missing;
                var events = await query.Events.FetchStreamAsync(CorporateLimitsState.StreamIdFor(corporateId), token: http.RequestAborted);
                return Results.Ok(events.Where(e => e.Data is CorporateLimitsChanged)
                    .Select(e => (Event: e, Changed: (CorporateLimitsChanged)e.Data))
                    .Select(x => new CorporateLimitsChange(x.Event.Version, x.Changed.Previous, x.Changed.Current, x.Changed.Reason, x.Changed.ChangedAt,
                        x.Event.UserName ?? "system"))
                    .Reverse().ToList());
            })
            .RequireAuthorization(AccessPolicies.StaffRead)
            .WithName("GetCorporateLimitsHistory")
            .WithSummary("Every change of a corporate customer's desk limits, newest first: before, after, who, when and why.")
            .Produces<List<CorporateLimitsChange>>()
            .Refuses(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult?> KnownAsync(IQuerySession query, string corporateId, CancellationToken ct) =>
        Domain.Accounts.Opening.CustomerIds.IsValid(corporateId) && await query.LoadAsync<CorporateTree>(CorporateTree.StreamIdFor(corporateId), ct) is not null
            ? null
            : Problems.NotFound($"Corporate customer '{(corporateId.Length > 64 ? corporateId[..64] : corporateId)}'");
}
