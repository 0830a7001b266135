namespace Ledger.ProcessorStandIn.Paying;

/// <summary>What the card network answers for a test card: approved, declined with a reason, or approved then disputed.</summary>
public sealed record CardOutcome(string? DeclineCode, string? DeclineMessage, bool OpensDispute)
{
    public static readonly CardOutcome Approved = new(null, null, false);
    public static readonly CardOutcome ApprovedThenDisputed = new(null, null, true);

    public static CardOutcome Declined(string declineCode, string message) => new(declineCode, message, false);

    public bool Declines => DeclineCode is not null;
}
