using CsCheck;
using Ledger.Domain.ServiceRequests;
using static Ledger.Domain.Tests.ServiceRequests.WorkingCalendarTests;

namespace Ledger.Domain.Tests.ServiceRequests;

public class ServiceClockTests
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;

    /// <summary>March 2025: Monday the 3rd, Friday the 7th, Monday the 10th.</summary>
    private static DateTimeOffset On(int day, int hour, int minute = 0) => new(2025, 3, day, hour, minute, 0, TimeSpan.Zero);

    private static TimeSpan Hours(double hours) => TimeSpan.FromHours(hours);

    [Fact]
    public void Given_a_clock_started_on_Monday_morning_When_asked_Then_it_is_due_two_working_days_later()
    {
        var clock = ServiceClock.Start(Hours(16), On(3, 9));

        clock.Should().Be(new ServiceClock(Hours(16), TimeSpan.Zero, On(3, 9)));
        clock.Paused.Should().BeFalse();
        clock.DueAt(Calendar).Should().Be(On(4, 17));
        clock.UsedAt(On(3, 20), Calendar).Should().Be(Hours(8));
        clock.LeftAt(On(3, 20), Calendar).Should().Be(Hours(8));
    }

    [Fact]
    public void Given_a_clock_paused_over_a_weekend_waiting_for_the_customer_When_resumed_Then_the_due_time_moves_by_exactly_what_was_left()
    {
        var asked = ServiceClock.Start(Hours(16), On(6, 10)).Pause(On(7, 15), Calendar);

        asked.Should().Be(new ServiceClock(Hours(16), Hours(7 + 6), null), "Thursday 10:00-17:00 and Friday 09:00-15:00");
        asked.Paused.Should().BeTrue();
        asked.DueAt(Calendar).Should().BeNull("nobody can say when a paused clock runs out");
        asked.UsedAt(On(10, 16), Calendar).Should().Be(Hours(13), "the weekend and Monday waiting for the customer do not count");

        var answered = asked.Resume(On(10, 16));

        answered.DueAt(Calendar).Should().Be(On(11, 11), "the 3 hours left: Monday 16:00-17:00 and Tuesday 09:00-11:00");
        Calendar.Between(On(10, 16), answered.DueAt(Calendar)!.Value).Should().Be(asked.LeftAt(On(10, 16), Calendar));
    }

    [Fact]
    public void Given_a_paused_clock_When_paused_again_or_a_running_one_resumed_Then_nothing_changes()
    {
        var running = ServiceClock.Start(Hours(8), On(3, 9));
        var paused = running.Pause(On(3, 12), Calendar);

        paused.Pause(On(3, 16), Calendar).Should().BeSameAs(paused);
        running.Resume(On(3, 12)).Should().BeSameAs(running);
    }

    [Fact]
    public void Given_a_running_clock_When_a_fraction_of_its_turnaround_is_asked_Then_the_moment_it_is_used()
    {
        var clock = ServiceClock.Start(Hours(8), On(3, 9));

        clock.MomentAt(0.75m, Calendar).Should().Be(On(3, 15));
        clock.MomentAt(0m, Calendar).Should().Be(On(3, 9));
        clock.MomentAt(1.5m, Calendar).Should().Be(On(4, 13), "half again as long: 4 hours into Tuesday");
        clock.Pause(On(3, 10), Calendar).MomentAt(0.75m, Calendar).Should().BeNull();
        var negative = () => clock.MomentAt(-0.1m, Calendar);
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Given_a_moment_passed_in_an_earlier_run_When_asked_Then_it_is_the_start_of_the_current_run()
    {
        var resumed = ServiceClock.Start(Hours(8), On(3, 9)).Pause(On(3, 16), Calendar).Resume(On(7, 12));

        resumed.MomentAt(0.75m, Calendar).Should().Be(On(7, 12), "75 % was used on Monday at 15:00, before the clock stopped");
        resumed.DueAt(Calendar).Should().Be(On(7, 13));
    }

    [Fact]
    public void Given_a_clock_past_its_turnaround_When_asked_Then_the_time_left_is_negative_by_the_breach()
    {
        var clock = ServiceClock.Start(Hours(8), On(3, 9));

        clock.LeftAt(On(4, 11), Calendar).Should().Be(Hours(-2));
        clock.DueAt(Calendar).Should().Be(On(3, 17), "the due time stays where it was, in the past");
    }

    [Fact]
    public void Given_an_escalation_When_the_turnaround_is_extended_Then_the_due_time_moves_by_the_extension_in_working_time()
    {
        var clock = ServiceClock.Start(Hours(8), On(3, 9));

        var extended = clock.Extend(Hours(4));

        extended.Should().Be(clock with { Turnaround = Hours(12) });
        extended.DueAt(Calendar).Should().Be(On(4, 13));
        var shortening = () => clock.Extend(Hours(-1));
        shortening.Should().Throw<ArgumentOutOfRangeException>();
        var negative = () => ServiceClock.Start(Hours(-1), On(3, 9));
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }

    private static readonly Gen<(Case Case, ServiceClock Clock, DateTimeOffset Now)> Clocks =
        Gen.Select(Generate.Cases, Generate.Duration, Generate.Duration, (c, used, later) =>
            (c, new ServiceClock(c.Duration, used, c.Start), c.Start + later));

    [Fact]
    public void Given_any_clock_When_asked_at_any_time_Then_used_and_left_add_up_to_the_turnaround()
    {
        Clocks.Sample(t => t.Clock.UsedAt(t.Now, t.Case.Calendar) + t.Clock.LeftAt(t.Now, t.Case.Calendar) == t.Clock.Turnaround
            && t.Clock.UsedAt(t.Now, t.Case.Calendar) == t.Clock.Used + t.Case.Calendar.Between(t.Case.Start, t.Now), iter: 800);
    }

    [Fact]
    public void Given_any_running_clock_When_paused_and_resumed_at_the_same_instant_Then_nothing_it_answers_changes()
    {
        Clocks.Select(Generate.Duration).Sample((t, after) =>
        {
            var (calendar, clock) = (t.Case.Calendar, t.Clock);
            var again = clock.Pause(t.Now, calendar).Resume(t.Now);
            var later = t.Now + after;
            return again.UsedAt(later, calendar) == clock.UsedAt(later, calendar)
                && again.LeftAt(later, calendar) == clock.LeftAt(later, calendar)
                // A due time already passed at the pause is known only as that run's start (see MomentAt).
                && (clock.LeftAt(t.Now, calendar) <= TimeSpan.Zero || again.DueAt(calendar) == clock.DueAt(calendar));
        }, iter: 800);
    }

    [Fact]
    public void Given_any_running_clock_not_yet_breached_When_its_due_time_comes_Then_nothing_is_left()
    {
        Clocks.Where(t => t.Clock.Used < t.Clock.Turnaround).Sample(t =>
            t.Clock.LeftAt(t.Clock.DueAt(t.Case.Calendar)!.Value, t.Case.Calendar) == TimeSpan.Zero, iter: 800);
    }

    [Fact]
    public void Given_any_runs_and_pauses_When_counted_Then_the_clock_used_the_working_time_of_its_runs_only()
    {
        Gen.Select(Generate.Cases, Generate.Duration.Array[1, 8]).Sample((c, gaps) =>
        {
            var clock = ServiceClock.Start(c.Duration, c.Start);
            var (at, expected, running) = (c.Start, TimeSpan.Zero, true);
            foreach (var gap in gaps)
            {
                var next = at + gap;
                if (running)
                    expected += c.Calendar.Between(at, next);
                clock = running ? clock.Pause(next, c.Calendar) : clock.Resume(next);
                (at, running) = (next, !running);
            }
            return clock.UsedAt(at, c.Calendar) == expected && clock.Paused == !running;
        }, iter: 500);
    }
}
