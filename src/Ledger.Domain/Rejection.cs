namespace Ledger.Domain;

/// <summary>
/// A business rule said no. <paramref name="Rule"/> is a stable, kebab-case rule name clients can match on.
/// <paramref name="IsConflict"/>: the request clashes with the current state (decided twice, a duplicate),
/// rather than breaking a rule; <paramref name="Reference"/> points at what it clashes with.
/// </summary>
public sealed record Rejection(string Rule, string Message, string? Field = null, bool IsConflict = false, Guid? Reference = null);
