using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Policies;
using Marten;
using Wolverine;

namespace Ledger.Api.Policies;

public sealed record PolicyView(long Version, LimitsPolicy Limits);

public sealed record ChangePolicyRequest(LimitsPolicy? Limits, string? Reason);

public sealed class ChangePolicyValidator : AbstractValidator<ChangePolicyRequest>
{
    public ChangePolicyValidator()
    {
        RuleFor(r => r.Limits).NotNull();
        RuleFor(r => r.Limits!.Csr).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Limits!.Manager).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record ChangePolicyMessage(LimitsPolicy Limits, string Reason, RequestContext Context);

public static class ChangePolicyHandler
{
    public static Task<CommandOutcome> Handle(ChangePolicyMessage message, IDocumentSession session, TimeProvider clock, CancellationToken ct) =>
        PolicyStreams.ChangeAsync<PolicyState>(session, PolicyState.StreamId, message.Context,
            current => ChangingPolicy.Decide(current, message.Limits, message.Reason, message.Context.Now(clock)), ct);
}

/// <summary>A policy is one stream of changes: each change is decided on the policy in force, under the version If-Match names.</summary>
public static class PolicyStreams
{
    public static async Task<CommandOutcome> ChangeAsync<TState>(IDocumentSession session, Guid streamId, RequestContext context,
        Func<TState?, Decision> decide, CancellationToken ct) where TState : class
    {
        var stream = await session.Events.FetchForExclusiveWriting<TState>(streamId, ct);
        var version = stream.CurrentVersion ?? 0;
        if (context.ExpectedVersion is { } expected && expected != version)
            return CommandOutcome.Stale(streamId, version);
        var decision = decide(stream.Aggregate);
        if (decision.Rejection is { } rejection)
            return CommandOutcome.Refused(streamId, version, rejection);
        EventMetadata.Stamp(session, context);
        stream.AppendMany(decision.Events.ToArray());
        return new CommandOutcome(OutcomeKind.Applied, streamId, null, version + decision.Events.Count, null, null, null);
    }

    /// <summary>
    /// GET <paramref name="pattern"/>: a policy in force and its version (the ETag an If-Match on its change names), for every
    /// staff member; 404 before its first version is recorded. The caller names and describes the operation.
    /// </summary>
    public static RouteHandlerBuilder MapPolicyRead<TState, TView>(this RouteGroupBuilder group, string pattern, Guid streamId, string what,
        Func<TState, (long Version, TView View)> read) where TState : class =>
        group.MapGet(pattern, async (HttpContext http, IQuerySession query) =>
            {
                if (await query.LoadAsync<TState>(streamId, http.RequestAborted) is not { } state)
                    return Problems.NotFound(what);
                var (version, view) = read(state);
                http.Response.Headers.ETag = ETags.For(version);
                return Results.Ok(view);
            })
            .RequireAuthorization(AccessPolicies.StaffRead)
            .Versioned()
            .Produces<TView>()
            .Refuses(StatusCodes.Status404NotFound);
}

public static class PolicyEndpoints
{
    public static void MapPolicy(this WebApplication app)
    {
        var policy = app.MapGroup("/api/policy").WithTags("Limits policy");
        policy.MapPolicyRead<PolicyState, PolicyView>("/", PolicyState.StreamId, "The limits policy", state => (state.Version, new PolicyView(state.Version, state.Current)))
            .WithName("GetPolicy")
            .WithSummary("The limits in force and their version (every change is an event on the policy stream).");

        policy.MapPut("/", async (ChangePolicyRequest body, HttpContext http, IMessageBus bus) =>
            {
                var context = Writes.Context(http);
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangePolicyMessage(body.Limits!, body.Reason!, context), http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<ChangePolicyRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("ChangePolicy").Write(created: false, onAccount: false)
            .WithSummary("Replace the limits (admin). Applies to decisions made after it; If-Match guards against a concurrent change.");

        policy.MapPolicyHistory();
        policy.MapPolicySimulations();
    }
}
