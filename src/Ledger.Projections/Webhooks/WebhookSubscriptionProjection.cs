using JasperFx.Events;
using Ledger.Domain.Webhooks;
using Marten.Events.Aggregation;

namespace Ledger.Projections.Webhooks;

/// <summary>The subscriptions, inline: the fan-out of every committed account event reads them.</summary>
public sealed class WebhookSubscriptionProjection : SingleStreamProjection<WebhookSubscription, Guid>
{
    public WebhookSubscriptionProjection()
    {
        IncludeType<WebhookSubscribed>();
        IncludeType<WebhookSubscriptionChanged>();
        IncludeType<WebhookSecretRotated>();
    }

    public override WebhookSubscription? Evolve(WebhookSubscription? snapshot, Guid id, IEvent e) => WebhookSubscription.Evolve(snapshot, e.Data);
}
