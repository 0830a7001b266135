using Ledger.Api.Access;
using Ledger.Domain;
using Ledger.Domain.Approvals;
using Ledger.Domain.Policies;
using Marten;
using JasperFx.Events;

namespace Ledger.Api.Limits;

/// <summary>
/// Loads the limits a credit or correction is judged by, inside the write's transaction: the policy in force
/// and, for desk staff, today's allowance stream, locked after the account's (always in that order, so two
/// writers can never wait on each other in a cycle) and kept locked until commit.
/// </summary>
public sealed class PostingAuthority(IDocumentSession session, Actor actor, DateTimeOffset now)
{
    private IEventStream<DailyAllowance>? _allowance;

    public Poster Poster { get; } = new(actor.UserId, actor.Role);

    // drawsOnAllowance is false for decisions that never use the daily credit allowance (corrections, rejections),
    // so they do not queue behind the user's other credits on its lock.
    public async Task<LimitsInForce> LoadAsync(CancellationToken ct, bool drawsOnAllowance = true)
    {
        var policy = await session.LoadAsync<PolicyState>(PolicyState.StreamId, ct)
            ?? throw new InvalidOperationException("No limits policy is recorded; PolicyBootstrap records one at start-up.");
        if (!drawsOnAllowance || Poster.Role is not (Poster.Csr or Poster.Manager))
            return new LimitsInForce(policy.Current, policy.Version, 0m);
        _allowance = await session.Events.FetchForExclusiveWriting<DailyAllowance>(
            DailyAllowance.StreamIdFor(Poster.UserId, DateOnly.FromDateTime(now.UtcDateTime)), ct);
        return new LimitsInForce(policy.Current, policy.Version, _allowance.Aggregate?.Used ?? 0m);
    }

    /// <summary>Draws what the decision used from today's allowance, in the same transaction as the account's events.</summary>
    public void Record(Decision decision, Guid accountId, Guid entryId)
    {
        if (decision.AllowanceUsage > 0 && _allowance is not null)
            _allowance.AppendOne(new CreditAllowanceUsed(Poster.UserId, DateOnly.FromDateTime(now.UtcDateTime), decision.AllowanceUsage, accountId, entryId));
    }
}
