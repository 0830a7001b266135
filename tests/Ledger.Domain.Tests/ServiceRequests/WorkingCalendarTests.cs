using CsCheck;
using Ledger.Domain.ServiceRequests;

namespace Ledger.Domain.Tests.ServiceRequests;

public class WorkingCalendarTests
{
    private static readonly WorkingCalendar Utc = WorkingCalendar.Default;

    private static readonly WorkingCalendar London = new("Europe/London", WorkingCalendar.Default.Week,
        [new DateOnly(2025, 4, 18), new DateOnly(2025, 4, 21)]);

    private static DateTimeOffset U(int month, int day, int hour, int minute = 0) => new(2025, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Given_the_default_calendar_When_two_hours_are_added_on_Friday_at_four_Then_it_is_Monday_at_ten()
    {
        Utc.Add(U(3, 7, 16), TimeSpan.FromHours(2)).Should().Be(U(3, 10, 10));
        Utc.Between(U(3, 7, 16), U(3, 10, 10)).Should().Be(TimeSpan.FromHours(2));
    }

    [Fact]
    public void Given_hours_that_end_at_closing_When_added_Then_the_result_is_the_closing_not_the_next_opening()
    {
        Utc.Add(U(3, 7, 16), TimeSpan.FromHours(1)).Should().Be(U(3, 7, 17));
    }

    [Fact]
    public void Given_a_start_on_Sunday_When_an_hour_is_added_Then_counting_begins_at_Monday_opening()
    {
        Utc.Add(U(3, 9, 14), TimeSpan.FromHours(1)).Should().Be(U(3, 10, 10));
        Utc.Add(U(3, 10, 7, 30), TimeSpan.FromMinutes(30)).Should().Be(U(3, 10, 9, 30), "before opening counts from the opening too");
        Utc.Between(U(3, 8, 0), U(3, 10, 0)).Should().Be(TimeSpan.Zero, "a weekend has no working time");
    }

    [Fact]
    public void Given_a_zero_duration_When_added_Then_it_is_the_start_itself_inside_hours_or_not()
    {
        Utc.Add(U(3, 10, 11), TimeSpan.Zero).Should().Be(U(3, 10, 11));
        Utc.Add(U(3, 9, 14), TimeSpan.Zero).Should().Be(U(3, 9, 14), "no working time has to pass, so nothing waits for Monday");
    }

    [Fact]
    public void Given_a_negative_duration_When_added_Then_it_throws()
    {
        var adding = () => Utc.Add(U(3, 10, 11), TimeSpan.FromTicks(-1));

        adding.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Given_a_start_with_an_offset_When_added_Then_the_result_is_in_UTC()
    {
        var result = Utc.Add(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.FromHours(2)), TimeSpan.FromHours(1));

        result.Should().Be(U(3, 10, 11));
        result.Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public void Given_Easter_holidays_in_London_When_three_hours_are_added_on_Thursday_at_four_Then_it_is_Tuesday_at_eleven_local()
    {
        var due = London.Add(U(4, 17, 15), TimeSpan.FromHours(3));

        due.Should().Be(U(4, 22, 10), "16:00 BST + 1h on Thursday, Good Friday to Easter Monday off, then 09:00 BST + 2h on Tuesday");
        London.Between(U(4, 17, 0), U(4, 23, 0)).Should().Be(TimeSpan.FromHours(8 + 8), "Thursday and Tuesday only");
    }

    [Fact]
    public void Given_the_week_the_clocks_go_forward_in_London_When_counted_Then_every_day_is_eight_hours_in_local_time()
    {
        London.Add(U(3, 28, 16), TimeSpan.FromHours(4)).Should().Be(U(3, 31, 11), "Friday 16:00 GMT + 1h, then Monday 09:00 BST (08:00 UTC) + 3h");
        London.Between(U(3, 24, 0), U(3, 29, 0)).Should().Be(TimeSpan.FromHours(40));
        London.Between(U(3, 31, 0), U(4, 5, 0)).Should().Be(TimeSpan.FromHours(40));
        London.Between(U(3, 31, 8), U(3, 31, 16)).Should().Be(TimeSpan.FromHours(8), "09:00 to 17:00 BST");
    }

    [Fact]
    public void Given_the_clocks_go_back_in_London_When_Friday_afternoon_plus_two_hours_Then_Monday_at_ten_GMT()
    {
        London.Add(U(10, 24, 15), TimeSpan.FromHours(2)).Should().Be(U(10, 27, 10));
    }

    [Fact]
    public void Given_hours_across_a_change_When_counted_Then_the_real_elapsed_time_counts()
    {
        var nights = new WorkingCalendar("Europe/London", [new WorkingDay(DayOfWeek.Sunday, new TimeOnly(0, 0), new TimeOnly(3, 0))], []);
        var skippedOpening = nights with { Week = [new WorkingDay(DayOfWeek.Sunday, new TimeOnly(1, 30), new TimeOnly(3, 0))] };

        nights.Between(U(3, 29, 0), U(3, 31, 0)).Should().Be(TimeSpan.FromHours(2), "00:00 GMT to 03:00 BST");
        nights.Between(U(10, 25, 0), U(10, 27, 0)).Should().Be(TimeSpan.FromHours(4), "00:00 BST to 03:00 GMT");
        nights.Add(U(3, 29, 0), TimeSpan.FromHours(2)).Should().Be(U(3, 30, 2), "the day closes at 03:00 BST");
        skippedOpening.Add(U(3, 29, 0), TimeSpan.FromMinutes(10)).Should().Be(U(3, 30, 1, 10), "01:30 never shows: the day opens at the change");
        skippedOpening.Between(U(10, 25, 0), U(10, 27, 0)).Should().Be(TimeSpan.FromHours(2.5), "01:30 shows twice: the day opens at the first, 01:30 BST");
    }

    [Fact]
    public void Given_two_thousand_working_hours_When_added_Then_fifty_working_weeks_later_quickly()
    {
        Action adding = () => Utc.Add(U(3, 3, 9), TimeSpan.FromHours(2000)).Should().Be(U(3, 3, 17).AddDays(49 * 7 + 4));

        adding.ExecutionTime().Should().BeLessThan(TimeSpan.FromSeconds(1));
        London.Add(U(1, 6, 9), TimeSpan.FromHours(2000)).Should().Be(U(12, 23, 17),
            "250 working days from Monday 6 January end on Friday 19 December, and the two Easter holidays push them to Tuesday 23 (GMT again)");
    }

    [Fact]
    public void Given_a_calendar_whose_only_working_day_is_a_holiday_for_years_When_added_Then_it_throws_instead_of_looping()
    {
        var mondays = Enumerable.Range(0, 600).Select(w => new DateOnly(2025, 3, 3).AddDays(7 * w)).ToList();
        var never = new WorkingCalendar("UTC", [new WorkingDay(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 0))], mondays);

        never.Check().Should().BeNull("600 holidays are allowed");
        var adding = () => never.Add(U(3, 1, 0), TimeSpan.FromHours(1));
        adding.Should().Throw<InvalidOperationException>().WithMessage("*No working time*");
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "calendar-time-zone-unknown", "timeZone")]
    [InlineData("", "calendar-time-zone-unknown", "timeZone")]
    [InlineData("../../etc/passwd", "calendar-time-zone-unknown", "timeZone")]
    public void Given_an_unknown_time_zone_When_checked_Then_refused(string zone, string rule, string field)
    {
        var rejection = (Utc with { TimeZone = zone }).Check();

        rejection.Should().NotBeNull();
        (rejection!.Rule, rejection.Field).Should().Be((rule, field));
        rejection.Message.Should().Contain("IANA");
    }

    [Fact]
    public void Given_broken_weeks_or_too_many_holidays_When_checked_Then_each_is_refused_with_its_rule()
    {
        var nine = new TimeOnly(9, 0);
        static string? Rule(WorkingCalendar c) => c.Check()?.Rule;

        Rule(Utc with { Week = [new WorkingDay(DayOfWeek.Monday, nine, nine)] }).Should().Be("calendar-hours-invalid");
        Rule(Utc with { Week = [new WorkingDay(DayOfWeek.Monday, new TimeOnly(17, 0), nine)] }).Should().Be("calendar-hours-invalid");
        Rule(Utc with { Week = [new WorkingDay(DayOfWeek.Monday, nine, new TimeOnly(12, 0)), new WorkingDay(DayOfWeek.Monday, new TimeOnly(13, 0), new TimeOnly(17, 0))] })
            .Should().Be("calendar-day-repeated");
        Rule(Utc with { Week = [] }).Should().Be("calendar-no-working-day");
        Rule(Utc with { Week = null! }).Should().Be("calendar-incomplete");
        Rule(Utc with { Holidays = [.. Enumerable.Range(0, 1001).Select(d => new DateOnly(2025, 1, 1).AddDays(d))] }).Should().Be("calendar-too-many-holidays");
        (Utc with { Week = [] }).Check()!.Field.Should().Be("week");
        Utc.Check().Should().BeNull();
        London.Check().Should().BeNull();
        new WorkingCalendar("America/New_York", Utc.Week, []).Check().Should().BeNull();
    }

    [Fact]
    public void Given_a_calendar_that_Check_refuses_When_counting_Then_it_throws_naming_the_rule()
    {
        var counting = () => (Utc with { TimeZone = "Nowhere/Else" }).Between(U(3, 3, 0), U(3, 4, 0));

        counting.Should().Throw<InvalidOperationException>().WithMessage("*calendar-time-zone-unknown*");
    }

    [Fact]
    public void Given_any_calendar_and_start_When_a_duration_is_added_Then_exactly_that_much_working_time_lies_between()
    {
        Generate.Cases.Sample(c =>
            c.Calendar.Between(c.Start, c.Calendar.Add(c.Start, c.Duration)) == c.Duration, iter: 1500);
    }

    [Fact]
    public void Given_any_calendar_and_start_When_a_longer_duration_is_added_Then_the_result_is_later()
    {
        Generate.Cases.Select(Generate.Duration).Sample((c, more) => more == TimeSpan.Zero
            ? c.Calendar.Add(c.Start, c.Duration) == c.Calendar.Add(c.Start, c.Duration + more)
            : c.Calendar.Add(c.Start, c.Duration) < c.Calendar.Add(c.Start, c.Duration + more), iter: 800);
    }

    [Fact]
    public void Given_any_calendar_and_start_When_a_positive_duration_is_added_Then_the_result_closes_working_time_on_a_working_day()
    {
        Generate.Cases.Where(c => c.Duration > TimeSpan.Zero).Sample(c =>
        {
            var end = c.Calendar.Add(c.Start, c.Duration);
            var justBefore = end.AddTicks(-1);
            var local = TimeZoneInfo.ConvertTime(justBefore, TimeZoneInfo.FindSystemTimeZoneById(c.Calendar.TimeZone)).DateTime;
            var hours = c.Calendar.Week.SingleOrDefault(d => d.Day == local.DayOfWeek);
            return c.Calendar.Between(justBefore, end) == TimeSpan.FromTicks(1)
                && !c.Calendar.Holidays.Contains(DateOnly.FromDateTime(local))
                && hours is not null
                && (Generate.ChangesOffsetOn(c.Calendar.TimeZone, DateOnly.FromDateTime(local))
                    || (TimeOnly.FromDateTime(local) >= hours.Opens && TimeOnly.FromDateTime(local) < hours.Closes));
        }, iter: 1500);
    }

    [Fact]
    public void Given_three_instants_When_working_time_is_counted_Then_the_parts_add_up_to_the_whole()
    {
        Generate.Cases.Select(Generate.Duration, Generate.Duration).Sample((c, ab, bc) =>
        {
            DateTimeOffset a = c.Start, b = a + ab, z = b + bc;
            return c.Calendar.Between(a, b) + c.Calendar.Between(b, z) == c.Calendar.Between(a, z) && c.Calendar.Between(z, a) == TimeSpan.Zero;
        }, iter: 800);
    }

    public sealed record Case(WorkingCalendar Calendar, DateTimeOffset Start, TimeSpan Duration)
    {
        public override string ToString() =>
            $"{Calendar.TimeZone} [{string.Join(", ", Calendar.Week.Select(d => $"{d.Day} {d.Opens:HH:mm:ss.fffffff}-{d.Closes:HH:mm:ss.fffffff}"))}] " +
            $"holidays [{string.Join(", ", Calendar.Holidays.Select(h => h.ToString("yyyy-MM-dd")))}] from {Start:O} + {Duration}";
    }

    /// <summary>
    /// Random calendars in zones that move their clocks in every way tzdata knows (at midnight, by 30 minutes, a whole day),
    /// with hours that may open or close in the hour a change skips or repeats, starts to the tick, and holidays near the start.
    /// </summary>
    public static class Generate
    {
        private static readonly string[] Zones =
        [
            "UTC", "Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "America/Sao_Paulo", "Pacific/Apia", "Asia/Kathmandu",
            "America/St_Johns", "Pacific/Chatham", "Asia/Tehran", "America/Santiago", "Africa/Casablanca", "Asia/Beirut", "America/Havana",
        ];

        private static readonly Gen<TimeOnly> Time = Gen.Frequency(
            (3, Gen.Int[0, 95].Select(q => new TimeOnly(q / 4, q % 4 * 15))),
            (2, Gen.Int[0, 16].Select(q => new TimeOnly(q / 4, q % 4 * 15))),
            (1, Gen.Long[0, TimeSpan.TicksPerDay - 1].Select(t => new TimeOnly(t))));

        /// <summary>At least half an hour a working day, so that any duration below is reached within years.</summary>
        private static readonly Gen<(TimeOnly Opens, TimeOnly Closes)?> Hours = Gen.Frequency(
            (2, Gen.Const(default((TimeOnly, TimeOnly)?))),
            (5, Gen.Select(Time, Time).Where((a, b) => Math.Abs(a.Ticks - b.Ticks) >= TimeSpan.TicksPerHour / 2)
                .Select((a, b) => ((TimeOnly, TimeOnly)?)(a < b ? (a, b) : (b, a)))));

        private static readonly Gen<IReadOnlyList<WorkingDay>> Week = Hours.Array[7].Select(days =>
        {
            IReadOnlyList<WorkingDay> week = [.. days.Select((h, d) => h is var (opens, closes) ? new WorkingDay((DayOfWeek)d, opens, closes) : null).OfType<WorkingDay>()];
            return week.Count > 0 ? week : WorkingCalendar.Default.Week;
        });

        private static readonly Gen<DateTimeOffset> Start = Gen.Select(
            Gen.Long[new DateTime(1995, 1, 1).Ticks, new DateTime(2040, 1, 1).Ticks], Gen.Bool, Gen.Int[-14 * 4, 14 * 4],
            (ticks, anyTick, quarters) => new DateTimeOffset(anyTick ? ticks : ticks / TimeSpan.TicksPerHour * TimeSpan.TicksPerHour, TimeSpan.Zero)
                .ToOffset(TimeSpan.FromMinutes(15 * quarters)));

        public static readonly Gen<TimeSpan> Duration = Gen.Frequency(
            (1, Gen.Const(TimeSpan.Zero)),
            (3, Gen.Int[1, 300 * 4].Select(q => TimeSpan.FromMinutes(15 * q))),
            (3, Gen.Long[1, TimeSpan.TicksPerHour * 300].Select(TimeSpan.FromTicks)));

        public static readonly Gen<Case> Cases = Gen.Select(Gen.OneOf(Zones), Week, Start, Gen.Bool, Gen.Int[0, 120].List[0, 30], Duration,
            (zone, week, start, nearChange, holidays, duration) =>
            {
                start = nearChange ? BeforeNextChange(zone, start) : start;
                return new Case(new WorkingCalendar(zone, week, [.. holidays.Select(d => DateOnly.FromDateTime(start.UtcDateTime).AddDays(d))]), start, duration);
            });

        /// <summary>Two days before the zone's next change of offset within a year and a half (the start itself where there is none).</summary>
        private static DateTimeOffset BeforeNextChange(string zone, DateTimeOffset start)
        {
            var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
            for (var day = 1; day < 550; day++)
                if (info.GetUtcOffset(start.AddDays(day)) != info.GetUtcOffset(start.AddDays(day - 1)))
                    return start.AddDays(day - 2);
            return start;
        }

        /// <summary>Whether the zone's clocks change on or around that local date (where hours may hold more or less, or move).</summary>
        public static bool ChangesOffsetOn(string zone, DateOnly day)
        {
            var info = TimeZoneInfo.FindSystemTimeZoneById(zone);
            return info.GetUtcOffset(day.AddDays(-1).ToDateTime(TimeOnly.MinValue)) != info.GetUtcOffset(day.AddDays(2).ToDateTime(TimeOnly.MinValue));
        }
    }
}
