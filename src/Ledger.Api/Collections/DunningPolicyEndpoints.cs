using FluentValidation;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Policies;
using Ledger.Domain.Collections;
using Marten;
using Wolverine;

namespace Ledger.Api.Collections;

public sealed record DunningPolicyView(long Version, DunningPolicy Policy);

public sealed record ChangeDunningPolicyRequest(DunningPolicy? Policy, string? Reason);

public sealed class ChangeDunningPolicyValidator : AbstractValidator<ChangeDunningPolicyRequest>
{
    public ChangeDunningPolicyValidator()
    {
        RuleFor(r => r.Policy).NotNull();
        RuleFor(r => r.Policy!.DaysPastDue).NotNull().When(r => r.Policy is not null);
        RuleFor(r => r.Policy!.LateFee).NotNull().When(r => r.Policy is not null);
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(500);
    }
}

public sealed record ChangeDunningPolicy(DunningPolicy Policy, string Reason, RequestContext Context);

public static class ChangeDunningPolicyHandler
{
    /// <summary>
    /// Steps already taken keep the version they name; the next review of every account follows the new one, and a run is
    /// started at once so that steps the new policy brings forward are not left to the nightly run.
    /// </summary>
    public static async Task<(CommandOutcome, OutgoingMessages)> Handle(ChangeDunningPolicy message, IDocumentSession session, TimeProvider clock,
        CancellationToken ct)
    {
        var outcome = await PolicyStreams.ChangeAsync<DunningPolicyState>(session, DunningPolicyState.StreamId, message.Context,
            current => DunningPolicyState.Change(current, message.Policy, message.Reason, message.Context.Now(clock)), ct);
        var then = new OutgoingMessages();
        if (outcome.Kind == OutcomeKind.Applied)
            then.Add(new RunCollections(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), Reschedule: false));
        return (outcome, then);
    }
}

public static class DunningPolicyEndpoints
{
    public static void MapDunningPolicy(this RouteGroupBuilder collections)
    {
        collections.MapPolicyRead<DunningPolicyState, DunningPolicyView>("/policy", DunningPolicyState.StreamId, "The dunning policy",
                state => (state.Version, new DunningPolicyView(state.Version, state.Current)))
            .WithName("GetDunningPolicy")
            .WithSummary("The dunning policy in force and its version (every change is an event on its stream; each step names the version it followed).");

        collections.MapPut("/policy", async (ChangeDunningPolicyRequest body, HttpContext http, IMessageBus bus) =>
            {
                var outcome = await bus.InvokeAsync<CommandOutcome>(new ChangeDunningPolicy(body.Policy!, body.Reason!, Writes.Context(http)),
                    http.RequestAborted);
                return outcome.ToHttp(http, location: null);
            })
            .Validated<ChangeDunningPolicyRequest>()
            .RequireAuthorization(AccessPolicies.Admin)
            .WithName("ChangeDunningPolicy").Write(created: false, onAccount: false)
            .WithSummary("Replace the dunning policy (admin), with a reason. Later steps follow it; If-Match guards against a concurrent change.");
    }
}
