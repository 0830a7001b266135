namespace Ledger.ProcessorStandIn.Tests.Harness;

/// <summary>Each test gets a stand-in of its own: no test sees another's sessions, events or deliveries.</summary>
public abstract class StandInTest : IAsyncLifetime
{
    protected StandInHost StandIn { get; private set; } = null!;

    public async Task InitializeAsync() => StandIn = await StandInHost.StartAsync();

    public async Task DisposeAsync() => await StandIn.DisposeAsync();
}
