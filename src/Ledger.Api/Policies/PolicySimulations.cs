using FluentValidation;
using JasperFx.Events;
using Ledger.Api.Access;
using Ledger.Api.Infrastructure;
using Ledger.Api.Infrastructure.Databases;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Domain;
using Ledger.Domain.Accounts;
using Ledger.Domain.Accounts.Refunding;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Ledger.Projections;
using Marten;
using Marten.Events;

namespace Ledger.Api.Policies;

public sealed record SimulationRequest(LimitsPolicy? Limits, int? Days);

public sealed class SimulationRequestValidator : AbstractValidator<SimulationRequest>
{
    public SimulationRequestValidator()
    {
        RuleFor(r => r.Limits).NotNull();
        RuleFor(r => r.Limits!.Csr).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Limits!.Manager).NotNull().When(r => r.Limits is not null);
        RuleFor(r => r.Days).NotNull().InclusiveBetween(1, 366);
    }
}

/// <summary>The desk's decisions on credits, refunds and corrections as the event store recorded them, read for the policy simulation.</summary>
public static class RecordedDecisions
{
    private static readonly Type[] Types = [typeof(CreditIssued), typeof(RefundIssued), typeof(EntryCorrected), typeof(ApprovalRequested)];

    /// <summary>
    /// Every decision by a CSR or manager whose business time falls in [<paramref name="from"/>, <paramref name="to"/>], under the
    /// limits policy (decisions under a customer's own desk limits are not the policy's), with what it was judged against: the
    /// poster's credits and refunds applied alone earlier that day, and the account's credits in the 30 days before it. One read
    /// of the four event types per database, from a month before the window; nothing is written.
    /// </summary>
    public static async Task<List<RecordedDecision>> ReadAsync(IDocumentStore store, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var events = new List<IEvent>();
        var since = from.AddDays(-31);
        foreach (var query in await store.QueryEveryDatabaseAsync())
            await using (query)
                events.AddRange(await query.Events.QueryAllRawEvents().Where(e => e.Timestamp >= since && e.EventTypesAre(Types)).ToListAsync(ct));

        // What each decision was judged against, from everything read (which reaches a month before the window).
        var credits = events.Select(e => e.Data).OfType<CreditIssued>().GroupBy(c => c.AccountId)
            .ToDictionary(g => g.Key, g => g.Select(c => (c.IssuedAt, c.Amount)).ToList());
        var drawn = events.Select(Drawn).OfType<(string User, DateTimeOffset At, decimal Amount)>().GroupBy(d => (d.User, Day: d.At.UtcDateTime.Date))
            .ToDictionary(g => g.Key, g => g.ToList());
        decimal UsedBefore(string user, DateTimeOffset at) =>
            drawn.TryGetValue((user, at.UtcDateTime.Date), out var day) ? day.Where(d => d.At < at).Sum(d => d.Amount) : 0m;
        decimal CreditedBefore(Guid account, DateTimeOffset at) =>
            credits.TryGetValue(account, out var list) ? list.Where(c => c.IssuedAt > at.AddDays(-30) && c.IssuedAt < at).Sum(c => c.Amount) : 0m;

        var decisions = new List<RecordedDecision>();
        foreach (var e in events)
        {
            var (role, user) = (Header(e, EventHeaders.Role), Header(e, EventHeaders.Actor) ?? e.UserName ?? "");
            RecordedDecision? d = e.Data switch
            {
                CreditIssued { Authorization: { ApprovalId: null } a } c => new(c.IssuedAt, c.AccountId, DecidedKind.Credit, c.Amount, user, role ?? "", Outcome.Applied,
                    a.Limit, a.OverrideReason, 0, 0),
                RefundIssued { Authorization: { ApprovalId: null } a } r => new(r.IssuedAt, r.AccountId, DecidedKind.Refund, r.Amount, user, role ?? "", Outcome.Applied,
                    a.Limit, a.OverrideReason, 0, 0),
                EntryCorrected { Authorization: { ApprovalId: null } a } c => new(c.CorrectedAt, c.AccountId, DecidedKind.Correction, c.Amount, user, role ?? "",
                    Outcome.Applied, a.Limit, a.OverrideReason, 0, 0),
                ApprovalRequested { Kind: ApprovalKind.Credit or ApprovalKind.Refund or ApprovalKind.Correction } q => new(q.RequestedAt, q.AccountId,
                    q.Kind switch { ApprovalKind.Credit => DecidedKind.Credit, ApprovalKind.Refund => DecidedKind.Refund, _ => DecidedKind.Correction },
                    q.Amount, q.RequestedBy, q.RequestedRole, Outcome.Approval, q.ExceededLimit, null, 0, 0),
                _ => null,
            };
            if (d is null || d.At < from || d.At > to || d.Role is not (Poster.Csr or Poster.Manager) || d.ActualLimit?.Contains('/') == true)
                continue;
            decisions.Add(d with
            {
                UsedTodayBefore = d.Kind == DecidedKind.Correction ? 0 : UsedBefore(d.UserId, d.At),
                CreditedBefore30Days = d.Kind == DecidedKind.Credit ? CreditedBefore(d.AccountId, d.At) : 0,
            });
        }
        return decisions;
    }

    /// <summary>What a credit or refund applied on its poster's own authority drew on their daily allowance.</summary>
    private static (string User, DateTimeOffset At, decimal Amount)? Drawn(IEvent e) => e.Data switch
    {
        CreditIssued { Authorization.ApprovalId: null } c when Header(e, EventHeaders.Actor) is { } user => (user, c.IssuedAt, c.Amount),
        RefundIssued { Authorization.ApprovalId: null } r when Header(e, EventHeaders.Actor) is { } user => (user, r.IssuedAt, r.Amount),
        _ => null,
    };

    private static string? Header(IEvent e, string name) => e.Headers?.TryGetValue(name, out var value) == true ? value?.ToString() : null;
}

public static class PolicySimulationEndpoint
{
    public static void MapPolicySimulations(this RouteGroupBuilder policy) => policy
        .MapPost("/simulations", async (SimulationRequest body, IDocumentStore store, TimeProvider clock, HttpContext http) =>
        {
            if (body.Limits!.Check() is { } invalid)
                return Problems.Rule(invalid, StatusCodes.Status422UnprocessableEntity);
            var to = clock.GetUtcNow();
            var from = to.AddDays(-body.Days!.Value);
            var decisions = await RecordedDecisions.ReadAsync(store, from, to, http.RequestAborted);
            return Results.Ok(PolicySimulation.Run(decisions, body.Limits, from, to));
        })
        .Validated<SimulationRequest>()
        .RequireAuthorization(AccessPolicies.Admin)
        .WithName("SimulatePolicy")
        .WithSummary("Replay the credits, refunds and corrections the desk decided in the last 'days' days against proposed limits, before saving " +
                     "them (admin; read-only: nothing is written): per CSR and manager and in total, what would have been applied, sent for " +
                     "approval or refused, next to what happened, and each decision that would have gone otherwise. Each decision is judged " +
                     "on what had actually happened before it.")
        .Produces<SimulationReport>()
        .Refuses(StatusCodes.Status422UnprocessableEntity);
}
