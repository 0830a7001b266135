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

    /// <summary>
    /// <see cref="ThenEvents"/> member by member, for events that carry a list (an <c>Authorization</c>'s approvers):
    /// records compare lists by reference, so equal events would not be <c>Equals</c>. Types and order are still exact.
    /// </summary>
    public static void ThenEventsByMembers(this Decision decision, params object[] expected)
    {
        decision.Rejection.Should().BeNull();
        decision.IsAccepted.Should().BeTrue();
        decision.Events.Select(e => e.GetType()).Should().Equal(expected.Select(e => e.GetType()));
        decision.Events.Should().BeEquivalentTo(expected,
            options => options.ComparingRecordsByMembers().WithStrictOrdering().RespectingRuntimeTypes());
    }

    /// <summary><paramref name="field"/> is asserted exactly: null means the rejection must not name a field. A rule is never a conflict.</summary>
    public static void ThenRejected(this Decision decision, string rule, string? field = null)
    {
        decision.IsAccepted.Should().BeFalse();
        decision.Rejection.Should().NotBeNull();
        decision.Rejection!.Rule.Should().Be(rule);
        decision.Rejection.Field.Should().Be(field);
        decision.Rejection.Message.Should().NotBeNullOrWhiteSpace();
        decision.Rejection.IsConflict.Should().BeFalse();
        decision.Rejection.Reference.Should().BeNull();
        decision.Events.Should().BeEmpty();
    }

    /// <summary>A clash with the current state (decided twice, a duplicate), pointing at what it clashes with.</summary>
    public static void ThenConflict(this Decision decision, string rule, Guid reference)
    {
        decision.IsAccepted.Should().BeFalse();
        decision.Rejection.Should().NotBeNull();
        decision.Rejection!.Rule.Should().Be(rule);
        decision.Rejection.Field.Should().BeNull();
        decision.Rejection.Message.Should().NotBeNullOrWhiteSpace();
        decision.Rejection.IsConflict.Should().BeTrue();
        decision.Rejection.Reference.Should().Be(reference);
        decision.Events.Should().BeEmpty();
    }
}
