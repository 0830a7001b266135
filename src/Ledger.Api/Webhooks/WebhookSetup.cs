using Marten;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;
using Wolverine.Marten;

namespace Ledger.Api.Webhooks;

public static class WebhookSetup
{
    public const string Queue = "webhooks";

    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);
        var options = builder.Configuration.GetSection(WebhookOptions.Section).Get<WebhookOptions>() ?? new WebhookOptions();
        services.AddHttpClient(WebhookSender.ClientName, client => client.Timeout = options.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => WebhookTargets.Handler(options));
        services.AddSingleton<WebhookSender>();
        services.TryAddSingleton<EventFeed.AccountCloudEvents>();
        services.TryAddSingleton<EventFeed.HostStarted>();
        services.SubscribeToEventsWithServices<WebhookFanOut>(ServiceLifetime.Singleton);
        services.ConfigureMarten(o =>
        {
            // Two deliveries of one lane never both move it: the second to save loses and its handler runs again.
            o.Schema.For<WebhookLane>().UseOptimisticConcurrency(true).Index(l => l.SubscriptionId);
            o.Schema.For<WebhookDeliveryAttempt>().Index(a => a.SubscriptionId).Index(a => a.AttemptedAt);
            o.Schema.For<WebhookSecret>().Index(s => s.SubscriptionId);
            // Holds and releases of a subscription's lanes meet here: a release that commits first makes a hold run again.
            o.Schema.For<WebhookHealth>().UseOptimisticConcurrency(true);
        });
        services.ConfigureWolverine(wolverine =>
        {
            // Durable (the inbox in PostgreSQL), partitioned by lane: one subscription's one account is handled one
            // message at a time and in order, while other lanes — other accounts, other receivers — go on in parallel.
            wolverine.LocalQueue(Queue).UseDurableInbox().PartitionProcessingByGroupId(PartitionSlots.Nine);
            wolverine.PublishMessage<DeliverWebhook>().ToLocalQueue(Queue);
            wolverine.PublishMessage<RetryWebhookDeliveries>().ToLocalQueue(Queue);
            // A receiver that stays down: the subscription's retry is scheduled again with growing waits (durably, so a
            // restart keeps the schedule), and after the last one it goes to the dead letters for an operator to replay.
            var delays = options.Delays();
            var policy = wolverine.OnException<WebhookReceiverUnavailable>();
            if (delays.Length > 0)
                policy.ScheduleRetry(delays).Then.MoveToErrorQueue();
            else
                policy.MoveToErrorQueue();
        });
        return builder;
    }
}
