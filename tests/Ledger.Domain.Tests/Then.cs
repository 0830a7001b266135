namespace Ledger.Domain.Tests;

/// <summary>Then these events, or this rejection (and then no events at all).</summary>
public static class Then
{
    public static void ThenEvents(this Decision decision, params object[] expected)
    {
        decision.Rejection.Should().BeNull();
        decision.IsAccepted.Should().BeTrue();
        decision.Events.Should().Equal(expected);
    }

    /// <summary><paramref name="field"/> is asserted exactly: null means the rejection must not name a field.</summary>
    public static void ThenRejected(this Decision decision, string rule, string? field = null)
    {
        decision.IsAccepted.Should().BeFalse();
        decision.Rejection.Should().NotBeNull();
        decision.Rejection!.Rule.Should().Be(rule);
        decision.Rejection.Field.Should().Be(field);
        decision.Rejection.Message.Should().NotBeNullOrWhiteSpace();
        decision.Events.Should().BeEmpty();
    }
}
