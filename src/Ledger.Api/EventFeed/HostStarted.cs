namespace Ledger.Api.EventFeed;

/// <summary>
/// Resolves once the whole host has started. Marten's daemon starts its agents before Wolverine has initialised its
/// transports (the start-up log shows the feed's agent started before the RabbitMQ transport), so a subscription could
/// be handed its first page — the backlog a crash left behind — before the route it publishes to is ready. The
/// subscriptions that publish wait for this first.
/// </summary>
public sealed class HostStarted(IHostApplicationLifetime lifetime)
{
    public async Task WaitAsync(CancellationToken ct)
    {
        if (lifetime.ApplicationStarted.IsCancellationRequested)
            return;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(ct);
    }
}
