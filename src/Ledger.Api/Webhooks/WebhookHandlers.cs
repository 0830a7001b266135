using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.Idempotency;
using Ledger.Domain;
using Ledger.Domain.Webhooks;
using Marten;
using Wolverine;

namespace Ledger.Api.Webhooks;

/// <summary>Probe a failing subscription's receiver again and, once it answers, catch every held lane up (also after a pause ends).</summary>
public sealed record RetryWebhookDeliveries(Guid SubscriptionId)
{
    public DeliveryOptions Lane() => new() { GroupId = $"retry:{SubscriptionId:N}" };
}

/// <summary>The receiver still does not take deliveries: Wolverine schedules the next attempt, and after the last one dead-letters it.</summary>
public sealed class WebhookReceiverUnavailable(Guid subscriptionId, string reason)
    : Exception($"The receiver of webhook subscription {subscriptionId} does not take deliveries: {reason}");

public static class DeliverWebhookHandler
{
    public static async Task Handle(DeliverWebhook message, IDocumentSession session, IMessageBus bus, WebhookSender sender, TimeProvider clock,
        CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookSubscription>(message.SubscriptionId, ct) is not { } subscription)
            return;
        var lane = await session.LoadAsync<WebhookLane>(WebhookLane.IdFor(message.SubscriptionId, message.AccountId), ct)
                   ?? new WebhookLane { Id = WebhookLane.IdFor(message.SubscriptionId, message.AccountId), SubscriptionId = message.SubscriptionId, AccountId = message.AccountId };
        if (message.Version <= lane.Delivered)
            return; // delivered already (a retry, a recovery or a replay of the message)
        lane.Pending = Math.Max(lane.Pending, message.Version);
        session.Store(lane);
        var health = await session.LoadAsync<WebhookHealth>(subscription.Id, ct) ?? new WebhookHealth { Id = subscription.Id };
        if (!subscription.Active || health.FailingSince is not null)
        {
            // Held: the retry (or the end of the pause) catches this lane up. Storing the health document asserts, at
            // commit, that it has not changed since it was read: a recovery or a resume that committed meanwhile makes
            // this handler run again (and deliver), so no lane is left holding after everyone else went on.
            session.Store(health);
            return;
        }
        var (attempts, failure) = await sender.CatchUpAsync(session, subscription, lane, ct);
        session.Store(attempts.ToArray());
        if (failure is null)
            return;
        var now = clock.GetUtcNow();
        (health.FailingSince, health.FailedAccountId, health.Failures, health.LastError, health.LastFailureAt) = (now, lane.AccountId, 1, failure, now);
        session.Store(health);
        var retry = new RetryWebhookDeliveries(subscription.Id);
        await bus.PublishAsync(retry, retry.Lane());
    }
}

public static class RetryWebhookDeliveriesHandler
{
    public static async Task Handle(RetryWebhookDeliveries message, IDocumentSession session, IDocumentStore store, IMessageBus bus, WebhookSender sender,
        TimeProvider clock, CancellationToken ct)
    {
        if (await session.LoadAsync<WebhookSubscription>(message.SubscriptionId, ct) is not { Active: true } subscription)
            return;
        if (await session.LoadAsync<WebhookHealth>(subscription.Id, ct) is { FailingSince: not null } health)
        {
            if (health.FailedAccountId is { } account && await session.LoadAsync<WebhookLane>(WebhookLane.IdFor(subscription.Id, account), ct) is { } failed)
            {
                var (attempts, failure) = await sender.CatchUpAsync(session, subscription, failed, ct);
                session.Store(attempts.ToArray());
                session.Store(failed);
                if (failure is not null)
                {
                    await RecordFailureAsync(store, failed, attempts, failure, clock, ct);
                    throw new WebhookReceiverUnavailable(subscription.Id, failure);
                }
            }
            (health.FailingSince, health.FailedAccountId, health.RecoveredAt) = (null, null, clock.GetUtcNow());
            session.Store(health);
        }
        var held = await session.Query<WebhookLane>().Where(l => l.SubscriptionId == subscription.Id && l.Pending > l.Delivered).ToListAsync(ct);
        foreach (var lane in held)
            await bus.PublishAsync(new DeliverWebhook(subscription.Id, lane.AccountId, lane.Pending), WebhookLane.InLane(subscription.Id, lane.AccountId));
    }

    /// <summary>
    /// What a failed probe leaves behind — its attempts in the log, the count of failures, the events it did deliver —
    /// written in a transaction of its own: the handler's is rolled back by the exception that schedules the next
    /// attempt (and committing it would mark the message handled, leaving the retry nothing to reschedule).
    /// </summary>
    private static async Task RecordFailureAsync(IDocumentStore store, WebhookLane failed, IReadOnlyList<WebhookDeliveryAttempt> attempts, string failure,
        TimeProvider clock, CancellationToken ct)
    {
        await using var record = store.LightweightSession();
        record.Store(attempts.ToArray());
        if (await record.LoadAsync<WebhookHealth>(failed.SubscriptionId, ct) is { } health)
        {
            (health.Failures, health.LastError, health.LastFailureAt) = (health.Failures + 1, failure, clock.GetUtcNow());
            record.Store(health);
        }
        if (await record.LoadAsync<WebhookLane>(failed.Id, ct) is { } lane && lane.Delivered < failed.Delivered)
        {
            lane.Delivered = failed.Delivered;
            record.Store(lane);
        }
        await record.SaveChangesAsync(ct);
    }
}

public sealed record SubscribeWebhook(Guid SubscriptionId, string Url, IReadOnlyList<string> EventTypes, string? Description, string Secret, RequestContext Context);

public sealed record ChangeWebhookSubscription(Guid SubscriptionId, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active,
    string Reason, RequestContext Context);

public sealed record RotateWebhookSecret(Guid SubscriptionId, string Secret, TimeSpan Overlap, RequestContext Context);

/// <summary>The subscription's own history: created, changed, secrets rotated — each an event with who, when and why.</summary>
public static class WebhookSubscriptionHandler
{
    public static CommandOutcome Handle(SubscribeWebhook message, IDocumentSession session, TimeProvider clock)
    {
        var now = message.Context.Now(clock);
        var secretId = Guid.CreateVersion7();
        EventMetadata.Stamp(session, message.Context);
        session.Events.StartStream<WebhookSubscription>(message.SubscriptionId,
            new WebhookSubscribed(message.SubscriptionId, message.Url, message.EventTypes, message.Description, secretId, now));
        session.Store(new WebhookSecret { Id = secretId, SubscriptionId = message.SubscriptionId, Value = message.Secret, CreatedAt = now });
        session.Store(new WebhookHealth { Id = message.SubscriptionId });
        return IdempotencyRecord.Remember(session, message.Context,
            new CommandOutcome(OutcomeKind.Applied, message.SubscriptionId, message.SubscriptionId, 1, null, null, null), now);
    }

    public static async Task<CommandOutcome> Handle(ChangeWebhookSubscription message, IDocumentSession session, IMessageBus bus, TimeProvider clock,
        CancellationToken ct)
    {
        var now = message.Context.Now(clock);
        var stream = await session.Events.FetchForExclusiveWriting<WebhookSubscription>(message.SubscriptionId, ct);
        if (stream.Aggregate is not { } current)
            return CommandOutcome.NotFound(message.SubscriptionId);
        if (message.Context.ExpectedVersion is { } expected && expected != current.Version)
            return CommandOutcome.Stale(message.SubscriptionId, current.Version);
        EventMetadata.Stamp(session, message.Context);
        stream.AppendOne(new WebhookSubscriptionChanged(message.SubscriptionId, message.Url, message.EventTypes, message.Description, message.Active,
            message.Reason, now));
        if (message.Active && !current.Active)
        {
            // The end of a pause: what arrived meanwhile goes out now, in order. Touching the health document makes
            // any delivery that saw the pause and has not committed its hold yet run again (see DeliverWebhookHandler).
            if (await session.LoadAsync<WebhookHealth>(message.SubscriptionId, ct) is { } health)
                session.Store(health);
            var resume = new RetryWebhookDeliveries(message.SubscriptionId);
            await bus.PublishAsync(resume, resume.Lane());
        }
        return IdempotencyRecord.Remember(session, message.Context,
            new CommandOutcome(OutcomeKind.Applied, message.SubscriptionId, message.SubscriptionId, current.Version + 1, null, null, null), now);
    }

    public static async Task<CommandOutcome> Handle(RotateWebhookSecret message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var now = message.Context.Now(clock);
        var stream = await session.Events.FetchForExclusiveWriting<WebhookSubscription>(message.SubscriptionId, ct);
        if (stream.Aggregate is not { } current)
            return CommandOutcome.NotFound(message.SubscriptionId);
        if (message.Context.ExpectedVersion is { } expected && expected != current.Version)
            return CommandOutcome.Stale(message.SubscriptionId, current.Version);
        var secretId = Guid.CreateVersion7();
        EventMetadata.Stamp(session, message.Context);
        stream.AppendOne(new WebhookSecretRotated(message.SubscriptionId, secretId, current.SecretId, now + message.Overlap, now));
        session.Store(new WebhookSecret { Id = secretId, SubscriptionId = message.SubscriptionId, Value = message.Secret, CreatedAt = now });
        // Two secrets at most: the one before the previous signs nothing any more.
        if (current.PreviousSecretId is { } retired)
            session.Delete<WebhookSecret>(retired);
        return IdempotencyRecord.Remember(session, message.Context,
            new CommandOutcome(OutcomeKind.Applied, message.SubscriptionId, secretId, current.Version + 1, null, null, null), now);
    }
}
