using Microsoft.Extensions.Options;

namespace Ledger.ProcessorStandIn.Webhooks;

/// <summary>
/// Sends queued deliveries one at a time. A failed attempt (no connection, timeout, any non-2xx answer) is retried
/// after a delay that doubles each time, up to <see cref="ProcessorStandInOptions.MaxDeliveryAttempts"/>; then the
/// stand-in gives up on that endpoint for that event, as Stripe does after three days.
/// </summary>
internal sealed class WebhookDeliveryWorker(
    WebhookQueue queue,
    WebhookSender sender,
    WebhookDeliveryLog log,
    IOptions<ProcessorStandInOptions> options,
    TimeProvider clock,
    ILogger<WebhookDeliveryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var job in queue.Jobs.ReadAllAsync(stoppingToken))
        {
            var (status, error) = await sender.SendAsync(job, stoppingToken);
            var settings = options.Value;
            var outcome = error is null ? WebhookDeliveryAttempt.Delivered
                : job.Attempt < settings.MaxDeliveryAttempts ? WebhookDeliveryAttempt.RetryScheduled
                : WebhookDeliveryAttempt.GaveUp;
            log.Record(new WebhookDeliveryAttempt(job.Event.Id, job.Event.Type, job.Endpoint.Url, job.Attempt, clock.GetUtcNow(), status, error, outcome));

            if (outcome == WebhookDeliveryAttempt.Delivered)
            {
                logger.LogInformation("Delivered {EventType} {EventId} to {Url} (attempt {Attempt})", job.Event.Type, job.Event.Id, job.Endpoint.Url, job.Attempt);
                continue;
            }
            logger.LogWarning("Delivering {EventType} {EventId} to {Url} failed (attempt {Attempt}): {Error}; {Outcome}",
                job.Event.Type, job.Event.Id, job.Endpoint.Url, job.Attempt, error, outcome);
            if (outcome == WebhookDeliveryAttempt.RetryScheduled)
                _ = RetryLaterAsync(job, settings.FirstRetryDelay * Math.Pow(2, job.Attempt - 1), stoppingToken);
        }
    }

    // A waiting retry holds no place in the queue, so one failing endpoint does not hold up other deliveries.
    private async Task RetryLaterAsync(WebhookDeliveryJob job, TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, clock, stoppingToken);
            queue.Requeue(job with { Attempt = job.Attempt + 1 });
        }
        catch (OperationCanceledException)
        {
            // The stand-in is stopping; undelivered events go with its memory.
        }
    }
}
