using Ledger.Api.Access;
using Ledger.Api.Notifications.DeadLetters;
using Ledger.Api.Portal.Shared;
using Ledger.Api.Webhooks;
using Ledger.Domain.Webhooks;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Persistence.Durability;

namespace Ledger.Api.Portal.Admin;

/// <summary>
/// What failed and waits for a person: messages Wolverine gave up on (notices above all) with their error, replayed one at a
/// time or every one of a kind once the cause is fixed; and webhook subscriptions whose receivers are failing, with their last
/// failed deliveries, retried now. The same calls as the API's dead-letter and webhook routes.
/// </summary>
[Authorize(Policy = AccessPolicies.Admin)]
public sealed class DeadLettersModel(IMessageStore store, IQuerySession query, IMessageBus bus) : PortalPage
{
    public IReadOnlyList<DeadLetterView> DeadLetters { get; private set; } = [];
    public IReadOnlyList<(WebhookSubscriptionView Subscription, IReadOnlyList<WebhookDeliveryAttempt> Failed)> Webhooks { get; private set; } = [];

    public IEnumerable<IGrouping<string, DeadLetterView>> Kinds => DeadLetters.GroupBy(d => d.MessageType).OrderBy(g => g.Key, StringComparer.Ordinal);

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostReplayAsync([FromForm] Guid deadLetterId)
    {
        Notice = await DeadLetterEndpoints.ReplayOneAsync(store, deadLetterId, HttpContext.RequestAborted)
            ? $"Dead letter {deadLetterId} is back in the inbox: it is handled again within seconds."
            : $"Dead letter {deadLetterId} is no longer there (replayed already).";
        return LocalRedirect("/portal/admin/dead-letters");
    }

    public async Task<IActionResult> OnPostReplayKindAsync([FromForm] string? messageType)
    {
        if (string.IsNullOrWhiteSpace(messageType))
            return LocalRedirect("/portal/admin/dead-letters");
        var count = await DeadLetterEndpoints.ReplayKindAsync(store, messageType, HttpContext.RequestAborted);
        Notice = $"{count} dead letter(s) of {messageType} back in the inbox: they are handled again within seconds.";
        return LocalRedirect("/portal/admin/dead-letters");
    }

    public async Task<IActionResult> OnPostRetryWebhookAsync([FromForm] Guid subscriptionId)
    {
        if (await query.LoadAsync<WebhookSubscription>(subscriptionId, HttpContext.RequestAborted) is null)
            return NotFoundPage();
        var retry = new RetryWebhookDeliveries(subscriptionId);
        await bus.PublishAsync(retry, retry.Lane());
        Notice = $"Webhook subscription {subscriptionId}: its receiver is tried again now.";
        return LocalRedirect("/portal/admin/dead-letters");
    }

    private async Task LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        DeadLetters = await DeadLetterEndpoints.ListAsync(store, null, ct);
        var webhooks = new List<(WebhookSubscriptionView, IReadOnlyList<WebhookDeliveryAttempt>)>();
        foreach (var subscription in await query.Query<WebhookSubscription>().OrderBy(s => s.SubscribedAt).ToListAsync(ct))
        {
            var view = await WebhookEndpoints.ViewAsync(query, subscription, ct);
            if (view.Delivery.Status != WebhookDeliveryStatus.Failing)
                continue;
            var failed = await query.Query<WebhookDeliveryAttempt>().Where(a => a.SubscriptionId == subscription.Id && !a.Delivered)
                .OrderByDescending(a => a.AttemptedAt).Take(5).ToListAsync(ct);
            webhooks.Add((view, failed));
        }
        Webhooks = webhooks;
    }
}
