namespace Ledger.Domain.ServiceRequests;

/// <summary>The hours of one working day of the week, in the calendar's local time; <see cref="Opens"/> before <see cref="Closes"/>.</summary>
public sealed record WorkingDay(DayOfWeek Day, TimeOnly Opens, TimeOnly Closes);

/// <summary>
/// When working time passes. <see cref="TimeZone"/>: an IANA id (e.g. "Europe/London"); <see cref="Week"/>: the working days
/// with their hours (at most one entry per day); <see cref="Holidays"/>: local dates with no working time.
/// A day's working time is the real time that elapses between the moment its clocks first show <c>Opens</c> and the moment
/// they first show <c>Closes</c>: 09:00–17:00 is 8 hours on a daylight-saving change day too, unless the change falls inside
/// the hours (then 7 or 9). An opening hour that a change skips is the moment of the change; one it repeats is its first showing.
/// </summary>
public sealed record WorkingCalendar(string TimeZone, IReadOnlyList<WorkingDay> Week, IReadOnlyList<DateOnly> Holidays)
{
    public static readonly WorkingCalendar Default = new("UTC",
        [.. Enumerable.Range(1, 5).Select(d => new WorkingDay((DayOfWeek)d, new TimeOnly(9, 0), new TimeOnly(17, 0)))], []);

    public const int MaxHolidays = 1000;

    /// <summary>A calendar with no working time for this long (3,653 days) is taken to have none coming.</summary>
    public const int MaxDaysWithoutWork = 3653;

    public Rejection? Check()
    {
        if (Zone(TimeZone) is null)
            return new Rejection("calendar-time-zone-unknown", $"'timeZone' is an IANA time zone id such as 'Europe/London'; '{TimeZone}' is not one.", "timeZone");
        if (Week is null || Week.Any(d => d is null))
            return new Rejection("calendar-incomplete", "'week' lists the working days with their hours.", "week");
        if (Holidays is null)
            return new Rejection("calendar-incomplete", "'holidays' lists the local dates with no working time (it may be empty).", "holidays");
        if (Week.FirstOrDefault(d => !Enum.IsDefined(d.Day) || d.Opens >= d.Closes) is { } backwards)
            return new Rejection("calendar-hours-invalid", $"A working day opens before it closes; {backwards.Day} opens at {backwards.Opens:HH:mm} and closes at {backwards.Closes:HH:mm}.", "week");
        if (Week.GroupBy(d => d.Day).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return new Rejection("calendar-day-repeated", $"Each day of the week is listed at most once; {twice.Key} is listed {twice.Count()} times.", "week");
        if (Week.Count == 0)
            return new Rejection("calendar-no-working-day", "The calendar needs at least one working day, or no working time would ever pass.", "week");
        return Holidays.Count > MaxHolidays
            ? new Rejection("calendar-too-many-holidays", $"A calendar lists at most {MaxHolidays} holidays; this one lists {Holidays.Count}.", "holidays")
            : null;
    }

    /// <summary>
    /// The instant at which <paramref name="workingTime"/> of working time has passed since <paramref name="start"/>, in UTC.
    /// A start outside the hours counts from the next opening; a positive duration that ends exactly at a closing ends there
    /// (Friday 16:00 + 1h is Friday 17:00, not Monday 09:00). Zero is <paramref name="start"/> itself, inside the hours or not:
    /// no working time has to pass, so nothing waits for the next opening.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A negative duration.</exception>
    /// <exception cref="InvalidOperationException">A calendar that <see cref="Check"/> rejects, or one with no working time for ten years.</exception>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        if (workingTime == TimeSpan.Zero)
            return start.ToUniversalTime();
        var hours = Hours();
        var left = workingTime;
        var idle = 0;
        for (var day = hours.LocalDate(start).AddDays(-1); ; day = day.AddDays(1))
        {
            if (hours.On(day) is not (var opens, var closes) || closes <= start)
            {
                if (++idle > MaxDaysWithoutWork)
                    throw new InvalidOperationException($"No working time in the {MaxDaysWithoutWork} days after {day.AddDays(-MaxDaysWithoutWork):yyyy-MM-dd}: check the calendar's week and holidays.");
                continue;
            }
            idle = 0;
            var from = opens > start ? opens : start;
            if (left <= closes - from)
                return (from + left).ToUniversalTime();
            left -= closes - from;
        }
    }

    /// <summary>The working time in [<paramref name="from"/>, <paramref name="to"/>); zero when <paramref name="to"/> is not after <paramref name="from"/>.</summary>
    /// <exception cref="InvalidOperationException">A calendar that <see cref="Check"/> rejects.</exception>
    public TimeSpan Between(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
            return TimeSpan.Zero;
        var hours = Hours();
        var total = TimeSpan.Zero;
        for (var day = hours.LocalDate(from).AddDays(-1); day <= hours.LocalDate(to).AddDays(1); day = day.AddDays(1))
            if (hours.On(day) is (var opens, var closes))
            {
                var start = opens > from ? opens : from;
                var end = closes < to ? closes : to;
                if (end > start)
                    total += end - start;
            }
        return total;
    }

    private LocalHours Hours() =>
        Check() is { } invalid
            ? throw new InvalidOperationException($"The calendar cannot count working time: {invalid.Message} ({invalid.Rule})")
            : new LocalHours(Zone(TimeZone)!, Week, Holidays);

    private static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
            return null;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or System.Security.SecurityException or IOException)
        {
            return null;
        }
    }

    /// <summary>The calendar made ready to count: its zone found, its week by day, its holidays in a set.</summary>
    private sealed class LocalHours(TimeZoneInfo zone, IReadOnlyList<WorkingDay> week, IReadOnlyList<DateOnly> holidays)
    {
        private readonly WorkingDay?[] byDay = Enumerable.Range(0, 7).Select(d => week.FirstOrDefault(w => (int)w.Day == d)).ToArray();
        private readonly HashSet<DateOnly> off = [.. holidays];

        public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

        /// <summary>The working hours of a local date as instants, or null on a day off.</summary>
        public (DateTimeOffset Opens, DateTimeOffset Closes)? On(DateOnly day) =>
            off.Contains(day) || byDay[(int)day.DayOfWeek] is not { } hours ? null : (FirstShowing(day.ToDateTime(hours.Opens)), FirstShowing(day.ToDateTime(hours.Closes)));

        /// <summary>
        /// The first instant at which the zone's clocks show <paramref name="local"/> or later: the earlier of a time shown
        /// twice (clocks going back), the moment of the change for a time skipped (clocks going forward).
        /// </summary>
        private DateTimeOffset FirstShowing(DateTime local)
        {
            var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
            var guess = new DateTimeOffset(local.Ticks - offset.Ticks, TimeSpan.Zero);
            if (Local(guess) == local)
                return guess;
            // Skipped: search the change between a day before and the guess (shown later than local), to the tick.
            long early = guess.UtcTicks - TimeSpan.TicksPerDay * 2, late = Local(guess) > local ? guess.UtcTicks : guess.UtcTicks + TimeSpan.TicksPerDay * 2;
            while (late - early > 1)
            {
                var middle = early + (late - early) / 2;
                if (Local(new DateTimeOffset(middle, TimeSpan.Zero)) >= local)
                    late = middle;
                else
                    early = middle;
            }
            return new DateTimeOffset(late, TimeSpan.Zero);
        }

        private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;
    }
}
