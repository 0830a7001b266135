namespace Ledger.IntegrationTests.Harness;

/// <summary>
/// Waiting for what happens after the answer (a projection, a queue, a delivery, a mail): read until the value is the one
/// waited for or the time is up, and hand back the last value read, so the test's own assertion says what was missing.
/// </summary>
public static class Poll
{
    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
                return value;
            await Task.Delay(every ?? TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>What is collected in memory (a receiver's requests, a consumer's messages), read the same way.</summary>
    public static Task<T> UntilCollected<T>(Func<T> read, Func<T, bool> done, TimeSpan? timeout = null) =>
        Until(() => Task.FromResult(read()), done, timeout, TimeSpan.FromMilliseconds(50));
}
