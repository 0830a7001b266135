namespace Ledger.Domain.Policies;

public sealed record PolicyState(LimitsPolicy Current, long Version)
{
    public Guid Id { get; init; } = StreamId;

    /// <summary>The single stream that holds the policy's history.</summary>
    public static readonly Guid StreamId = new("5e1f0c1e-0000-4000-8000-00000000a11c");

    public static PolicyState? Evolve(PolicyState? state, object @event) =>
        @event is PolicyChanged changed ? new PolicyState(changed.Current, (state?.Version ?? 0) + 1) : state;
}
