namespace Ledger.Domain.ServiceRequests;

/// <summary>
/// How service requests are timed: the working calendar turnarounds are counted in; the assignee is alerted when
/// <see cref="AlertAtPercent"/> of the turnaround is used; at the due time a request escalates (team lead, then manager) and
/// the customer is given a new expected time <see cref="EscalationExtensionPercent"/> % of the turnaround later; drafts
/// expire <see cref="DraftLifetimeDays"/> days after they were last saved, with a reminder <see cref="DraftReminderDays"/>
/// days before.
/// </summary>
public sealed record ServiceRequestPolicy(WorkingCalendar Calendar, int AlertAtPercent, int EscalationExtensionPercent, int DraftLifetimeDays,
    int DraftReminderDays)
{
    public static readonly ServiceRequestPolicy Default = new(WorkingCalendar.Default, 75, 50, 30, 7);

    /// <summary>The levels a request escalates through, after the team that works it.</summary>
    public const int TeamLead = 1, Manager = 2;

    public Rejection? Check()
    {
        if (Calendar is null)
            return new Rejection("policy-incomplete", "'calendar' is required.", "calendar");
        if (Calendar.Check() is { } calendar)
            return calendar with { Field = $"calendar.{calendar.Field}" };
        if (AlertAtPercent is < 1 or > 99)
            return new Rejection("policy-alert-out-of-range", "'alertAtPercent' is between 1 and 99.", "alertAtPercent");
        if (EscalationExtensionPercent is < 1 or > 1000)
            return new Rejection("policy-extension-out-of-range", "'escalationExtensionPercent' is between 1 and 1000.", "escalationExtensionPercent");
        if (DraftLifetimeDays is < 1 or > 365)
            return new Rejection("policy-draft-lifetime-out-of-range", "'draftLifetimeDays' is between 1 and 365.", "draftLifetimeDays");
        return DraftReminderDays < 0 || DraftReminderDays >= DraftLifetimeDays
            ? new Rejection("policy-draft-reminder-out-of-range", "'draftReminderDays' is at least 0 and less than 'draftLifetimeDays'.", "draftReminderDays")
            : null;
    }

    /// <summary>What an escalation adds to the time the customer is promised.</summary>
    public TimeSpan Extension(TimeSpan turnaround) => TimeSpan.FromMinutes(Math.Ceiling(turnaround.TotalMinutes * EscalationExtensionPercent / 100.0));
}

public sealed record ServiceRequestPolicyChanged(ServiceRequestPolicy? Previous, ServiceRequestPolicy Current, string Reason, DateTimeOffset ChangedAt);

public sealed record ServiceRequestPolicyState(ServiceRequestPolicy Current, long Version)
{
    public Guid Id { get; init; } = StreamId;

    public static readonly Guid StreamId = new("5e1f0c1e-0000-4000-8000-0000000053e7");

    public static ServiceRequestPolicyState? Evolve(ServiceRequestPolicyState? state, object @event) =>
        @event is ServiceRequestPolicyChanged changed ? new ServiceRequestPolicyState(changed.Current, (state?.Version ?? 0) + 1) : state;

    public static Decision Change(ServiceRequestPolicyState? current, ServiceRequestPolicy proposed, string reason, DateTimeOffset now)
    {
        if (proposed.Check() is { } invalid)
            return Decision.Reject(invalid);
        if (Accounts.Guards.Text(reason, "reason", 500) is { } badReason)
            return Decision.Reject(badReason);
        return current is not null && Same(current.Current, proposed)
            ? Decision.Reject("policy-unchanged", "The proposed policy is the one in force; nothing to record.")
            : Decision.Accept(new ServiceRequestPolicyChanged(current?.Current, proposed, reason.Trim(), now));
    }

    private static bool Same(ServiceRequestPolicy a, ServiceRequestPolicy b) =>
        a with { Calendar = null! } == b with { Calendar = null! } && a.Calendar.TimeZone == b.Calendar.TimeZone
        && a.Calendar.Week.SequenceEqual(b.Calendar.Week) && a.Calendar.Holidays.SequenceEqual(b.Calendar.Holidays);
}
