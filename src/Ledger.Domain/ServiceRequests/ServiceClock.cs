namespace Ledger.Domain.ServiceRequests;

/// <summary>
/// The promised-turnaround clock of one request: <see cref="Turnaround"/> of working time; <see cref="Used"/>: working time
/// already counted before the current run; <see cref="RunningSince"/>: when the clock last started (null while paused, e.g.
/// waiting for the customer). Working time is counted in the calendar passed to each question, so a changed calendar applies
/// from then on.
/// </summary>
public sealed record ServiceClock(TimeSpan Turnaround, TimeSpan Used, DateTimeOffset? RunningSince)
{
    /// <exception cref="ArgumentOutOfRangeException">A negative turnaround.</exception>
    public static ServiceClock Start(TimeSpan turnaround, DateTimeOffset at)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(turnaround, TimeSpan.Zero);
        return new ServiceClock(turnaround, TimeSpan.Zero, at);
    }

    public bool Paused => RunningSince is null;

    /// <summary>Banks the working time of the current run; a paused clock stays as it is.</summary>
    public ServiceClock Pause(DateTimeOffset at, WorkingCalendar calendar) =>
        RunningSince is { } since ? this with { Used = Used + calendar.Between(since, at), RunningSince = null } : this;

    /// <summary>Starts a new run; a running clock stays as it is (its run began earlier).</summary>
    public ServiceClock Resume(DateTimeOffset at) => Paused ? this with { RunningSince = at } : this;

    public TimeSpan UsedAt(DateTimeOffset now, WorkingCalendar calendar) =>
        RunningSince is { } since ? Used + calendar.Between(since, now) : Used;

    /// <summary>Negative once the turnaround is breached: by how much.</summary>
    public TimeSpan LeftAt(DateTimeOffset now, WorkingCalendar calendar) => Turnaround - UsedAt(now, calendar);

    /// <summary>When the turnaround runs out if the clock keeps running; null while paused. See <see cref="MomentAt"/>.</summary>
    public DateTimeOffset? DueAt(WorkingCalendar calendar) => MomentAt(1m, calendar);

    /// <summary>
    /// When <paramref name="fractionOfTurnaround"/> of the turnaround (0.75: 75 %) is used if the clock keeps running; null
    /// while paused. The clock keeps only the total of its earlier runs, so a moment already passed before the current run
    /// began is not known: it is then the run's start (the earliest moment it can be acted on), never a moment in an earlier run.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative fraction, or one whose time is beyond <see cref="TimeSpan.MaxValue"/>.</exception>
    public DateTimeOffset? MomentAt(decimal fractionOfTurnaround, WorkingCalendar calendar)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fractionOfTurnaround);
        if (RunningSince is not { } since)
            return null;
        if (Turnaround.Ticks > 0 && fractionOfTurnaround > TimeSpan.MaxValue.Ticks / (decimal)Turnaround.Ticks)
            throw new ArgumentOutOfRangeException(nameof(fractionOfTurnaround), fractionOfTurnaround, "The moment is further away than a TimeSpan reaches.");
        var target = decimal.Round(Turnaround.Ticks * fractionOfTurnaround, MidpointRounding.AwayFromZero);
        if (target > TimeSpan.MaxValue.Ticks)
            throw new ArgumentOutOfRangeException(nameof(fractionOfTurnaround), fractionOfTurnaround, "The moment is further away than a TimeSpan reaches.");
        var left = TimeSpan.FromTicks((long)target) - Used;
        return calendar.Add(since, left > TimeSpan.Zero ? left : TimeSpan.Zero);
    }

    /// <summary>Lengthens the turnaround (an escalation promises a new expected time); the time used so far stays.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative extension: a promise is never shortened this way.</exception>
    public ServiceClock Extend(TimeSpan more)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(more, TimeSpan.Zero);
        return this with { Turnaround = Turnaround + more };
    }
}
