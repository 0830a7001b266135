using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Ledger.Domain.Webhooks;
using Ledger.Api.Infrastructure.Databases;
using Marten;
using Wolverine;
using Wolverine.Marten.Subscriptions;

namespace Ledger.Api.Webhooks;

/// <summary>Deliver the events of one account's stream, up to <see cref="Version"/>, to one subscription (in order, from where it stands).</summary>
public sealed record DeliverWebhook(Guid SubscriptionId, Guid AccountId, long Version);

/// <summary>
/// Hands every committed account event to the subscriptions that want it, from Marten's async daemon. Wolverine
/// writes the messages to its inbox in the same transaction as this subscription's progress, so an event is handed
/// over once, after its commit, and never lost to a crash; the HTTP calls happen later in the queue's handlers, so no
/// receiver, however slow, is ever in a write's way. One message per subscription and account per page: its handler
/// delivers everything of that account the subscription has not had yet.
/// </summary>
public sealed class WebhookFanOut : BatchSubscription
{
    public const string Name = "webhook-fanout";

    private readonly EventFeed.HostStarted _started;

    public WebhookFanOut(EventFeed.HostStarted started) : base(Name)
    {
        _started = started;
        foreach (var type in Domain.Accounts.AccountEventTypes.All.Concat(Domain.Corporate.CorporateAlerts.Outward))
            IncludeType(type);
        // An account archived before this subscription reached its last events still has them delivered (archive-closed).
        IncludeArchivedEvents = true;
        // From the first event, not SubscribeFromPresent (which jumps to the present at every start and would skip
        // the backlog a crash leaves behind); a subscription is sent only what was recorded after it was made (Covers).
    }

    public override async Task ProcessEventsAsync(EventRange page, ISubscriptionController controller, IDocumentOperations operations, IMessageBus bus,
        CancellationToken cancellationToken)
    {
        await _started.WaitAsync(cancellationToken);
        // With several databases this runs once per database; the subscriptions (and the delivery state, so the
        // handlers' default sessions) are in the main one.
        var store = operations.DocumentStore;
        var sharded = store.IsSharded();
        IReadOnlyList<WebhookSubscription> subscriptions;
        if (sharded)
            await using (var main = store.QuerySession())
                subscriptions = await main.Query<WebhookSubscription>().ToListAsync(cancellationToken);
        else
            subscriptions = await operations.Query<WebhookSubscription>().ToListAsync(cancellationToken);
        if (subscriptions.Count == 0)
            return;
        var lanes = new Dictionary<(Guid Subscription, Guid Account), long>();
        foreach (var e in page.Events)
            foreach (var subscription in subscriptions)
                if (WebhookLane.Covers(subscription, e))
                    lanes[(subscription.Id, e.StreamId)] = Math.Max(lanes.GetValueOrDefault((subscription.Id, e.StreamId)), e.Version);
        foreach (var ((subscription, account), version) in lanes)
        {
            var lane = WebhookLane.InLane(subscription, account);
            // Wolverine would tag it with the database this ran for, which names no tenant of the store.
            if (sharded)
                lane.TenantId = JasperFx.StorageConstants.DefaultTenantId;
            await bus.PublishAsync(new DeliverWebhook(subscription, account, version), lane);
        }
    }
}
