namespace Ledger.Domain;

/// <summary>The outcome of a pure decision: the events to append, or the rule that refused.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, Rejection? rejection)
    {
        Events = events;
        Rejection = rejection;
    }

    public IReadOnlyList<object> Events { get; }
    public Rejection? Rejection { get; }

    /// <summary>The event for the acting user's daily credit allowance (its own stream), when this decision draws on it.</summary>
    public Approvals.CreditAllowanceUsed? AllowanceUsed { get; private init; }

    /// <summary>What this decision draws from the acting user's daily credit allowance.</summary>
    public decimal AllowanceUsage => AllowanceUsed?.Amount ?? 0m;

    public Decision Drawing(Approvals.CreditAllowanceUsed used) => new(Events, Rejection) { AllowanceUsed = used };
    public bool IsAccepted => Rejection is null;

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Reject(string rule, string message, string? field = null) => new([], new Rejection(rule, message, field));
    public static Decision Reject(Rejection rejection) => new([], rejection);
}
