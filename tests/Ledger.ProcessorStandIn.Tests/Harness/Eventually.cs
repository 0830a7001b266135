namespace Ledger.ProcessorStandIn.Tests.Harness;

/// <summary>Waits for something the stand-in does in the background (webhook deliveries and their retries).</summary>
public static class Eventually
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    public static async Task<T> Find<T>(Func<T?> probe, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline)
        {
            if (probe() is { } found)
                return found;
            await Task.Delay(20);
        }
        throw new TimeoutException($"Waited {Patience.TotalSeconds} s for {what}.");
    }

    public static Task True(Func<bool> condition, string what) =>
        Find(() => condition() ? "yes" : null, what);
}
