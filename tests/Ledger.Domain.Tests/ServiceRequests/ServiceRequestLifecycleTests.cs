using Ledger.Domain.Approvals;
using Ledger.Domain.ServiceRequests;

namespace Ledger.Domain.Tests.ServiceRequests;

/// <summary>
/// A request's life over time, on a calendar of Monday to Friday, 09:00 to 17:00 UTC, with Christmas off. 2026-12-07 is a Monday.
/// Each step folds the events it decided, as the event store would.
/// </summary>
public class ServiceRequestLifecycleTests
{
    private static readonly WorkingCalendar Calendar = new("UTC",
        [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
            .Select(d => new WorkingDay(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))],
        [new DateOnly(2026, 12, 25)]);

    private static readonly ServiceRequestPolicy Policy = ServiceRequestPolicy.Default with { Calendar = Calendar };
    private static readonly RequestTypeDefinition AddressChange = BuiltInRequestTypes.All.Single(t => t.Code == "address-change");
    private static readonly RequestTypeState Type = new("address-change", AddressChange, 1, false);
    private static readonly Guid Id = Guid.Parse("5e000000-0000-0000-0000-000000000001");
    private static readonly Poster Customer = new("cust-001", Poster.Customer);
    private static readonly Poster Csr = new("alice", Poster.Csr);
    private static readonly Poster Timer = new("system:service-requests", "system");

    private static DateTimeOffset On(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, TimeSpan.Zero);

    private static readonly Dictionary<string, string?> Address = new()
    {
        ["line1"] = "1 High Street", ["city"] = "Leeds", ["postalCode"] = "LS1 1AA", ["country"] = "GB",
    };

    /// <summary>A request being walked: decide at a moment as someone, fold what was decided.</summary>
    private sealed class Walk
    {
        public ServiceRequest? State;
        private long _version;

        public Decision Do(IServiceRequestCommand command, DateTimeOffset at, Poster? by = null, RequestTypeState? type = null,
            ServiceRequestPolicy? policy = null)
        {
            var decision = command.Decide(State, new RequestFacts(at, by ?? Csr, policy ?? Policy, type ?? Type));
            foreach (var e in decision.Events)
                State = ServiceRequest.Evolve(State, e, ++_version);
            return decision;
        }
    }

    private static Walk Submitted(DateTimeOffset at)
    {
        var walk = new Walk();
        walk.Do(new OpenDraft(Id, "address-change", Ids.Account, "cust-001", Address), at.AddMinutes(-5), Customer).IsAccepted.Should().BeTrue();
        walk.Do(new AttachDocument(Id, Guid.NewGuid(), "proofOfAddress", "bill.pdf", "application/pdf", 1000, new string('a', 64)), at.AddMinutes(-1), Customer)
            .IsAccepted.Should().BeTrue();
        walk.Do(new SubmitRequest(Id, "SR-2026-000001", null), at, Customer).IsAccepted.Should().BeTrue();
        return walk;
    }

    [Fact]
    public void Given_a_complete_draft_When_submitted_Then_it_is_due_the_turnaround_in_working_hours_later_and_alerts_at_75_percent()
    {
        var walk = Submitted(On(7, 10));

        // 16 working hours from Monday 10:00: Monday 7, Tuesday 8, Wednesday 1 -> Wednesday 10:00; 12 of them -> Tuesday 14:00.
        walk.State!.Should().Match<ServiceRequest>(r => r.Status == RequestStatus.Received && r.Number == "SR-2026-000001" && r.Team == "accounts"
                                                        && r.DueAt == On(9, 10) && r.AlertAt == On(8, 14) && r.DraftExpiresAt == null);
    }

    [Fact]
    public void Given_a_request_submitted_on_Christmas_Eve_Then_the_holiday_and_the_weekend_are_not_counted()
    {
        // Thursday 24th 16:00: 1 hour, Friday 25th is a holiday, the weekend is off, Monday 28th: 8, Tuesday 29th: 7 -> 16:00.
        Submitted(On(24, 16)).State!.DueAt.Should().Be(On(29, 16));
    }

    [Fact]
    public void Given_a_request_When_the_desk_waits_for_the_customer_Then_the_clock_stops_and_resumes_with_exactly_what_was_left()
    {
        var walk = Submitted(On(7, 10));
        walk.Do(new StartReview(Id), On(7, 11)).IsAccepted.Should().BeTrue();
        walk.Do(new AskCustomer(Id, "Your proof of address is older than three months.", ["proofOfAddress"]), On(7, 15))
            .ThenEventsByMembers(new ServiceRequestInformationRequested(Id, "Your proof of address is older than three months.", ["proofOfAddress"], "alice",
                On(7, 15), TimeSpan.FromHours(5)));
        walk.State!.Should().Match<ServiceRequest>(r => r.Status == RequestStatus.WaitingForCustomer && r.DueAt == null && r.Clock!.Paused);

        walk.Do(new CheckRequestTimers(Id), On(9, 10), Timer).ThenEvents(); // the old due time passes while waiting: nothing
        walk.Do(new AnswerRequest(Id, "Here is a newer one."), On(10, 16), Customer).ThenRejected("document-required", "documents.proofOfAddress");
        var newer = Guid.NewGuid();
        walk.Do(new AttachDocument(Id, newer, "proofOfAddress", "newer.png", "image/png", 500, new string('b', 64)), On(10, 15, 59), Customer)
            .IsAccepted.Should().BeTrue();

        // 11 hours were left: Thursday 16-17 (1), Friday (8), Monday 9-11 (2) -> Monday 14th 11:00. 75 % is 12 h used: 7 more -> Friday 15:00.
        walk.Do(new AnswerRequest(Id, "Here is a newer one."), On(10, 16), Customer)
            .ThenEventsByMembers(new ServiceRequestCustomerAnswered(Id, "Here is a newer one.", [newer], "cust-001", On(10, 16), On(14, 11), On(11, 15)));
        walk.State!.Should().Match<ServiceRequest>(r => r.Status == RequestStatus.InReview && r.DueAt == On(14, 11));
    }

    [Fact]
    public void Given_a_request_running_late_When_its_timers_fire_any_number_of_times_Then_each_alert_and_escalation_happens_once()
    {
        var walk = Submitted(On(7, 10));
        walk.Do(new AssignRequest(Id, "accounts", "alice"), On(7, 10, 30)).IsAccepted.Should().BeTrue();

        walk.Do(new CheckRequestTimers(Id), On(8, 13, 59), Timer).ThenEvents();
        walk.Do(new CheckRequestTimers(Id), On(8, 14), Timer).ThenEvents(new ServiceRequestDelayAlerted(Id, 0, "accounts", "alice", On(9, 10), On(8, 14)));
        walk.Do(new CheckRequestTimers(Id), On(8, 14), Timer).ThenEvents();
        walk.Do(new CheckRequestTimers(Id), On(8, 16), Timer).ThenEvents();

        // Due Wednesday 10:00: to the team lead, 8 more working hours (50 % of 16) -> Thursday 10:00; its alert at 6 of them -> Wednesday 16:00.
        walk.Do(new CheckRequestTimers(Id), On(9, 10), Timer).ThenEvents(new ServiceRequestEscalated(Id, 1,
            "not completed within 16 working hours; passed to the team lead", On(9, 10), On(10, 10), On(9, 16), TimeSpan.FromHours(8), On(9, 10)));
        walk.Do(new CheckRequestTimers(Id), On(9, 10), Timer).ThenEvents();
        walk.Do(new CheckRequestTimers(Id), On(9, 16), Timer).ThenEvents(new ServiceRequestDelayAlerted(Id, 1, "accounts", "alice", On(10, 10), On(9, 16)));
        walk.Do(new CheckRequestTimers(Id), On(10, 10), Timer).ThenEvents(new ServiceRequestEscalated(Id, 2,
            "not completed within 24 working hours; passed to the manager", On(10, 10), On(11, 10), On(10, 16), TimeSpan.FromHours(8), On(10, 10)));
        walk.Do(new CheckRequestTimers(Id), On(10, 16), Timer).ThenEvents(new ServiceRequestDelayAlerted(Id, 2, "accounts", "alice", On(11, 10), On(10, 16)));
        walk.Do(new CheckRequestTimers(Id), On(11, 10), Timer).ThenEvents(); // a manager is the last level
        walk.Do(new CheckRequestTimers(Id), On(14, 10), Timer).ThenEvents();

        walk.Do(new ResolveRequest(Id, "Your address is changed.", "profile", null, null), On(11, 11)).IsAccepted.Should().BeTrue();
        walk.State!.Should().Match<ServiceRequest>(r => r.Status == RequestStatus.Resolved && r.WithinTurnaround == false
                                                        && r.Clock!.Used == TimeSpan.FromHours(7 + 8 + 8 + 8 + 2));
        walk.Do(new CheckRequestTimers(Id), On(14, 10), Timer).ThenEvents();
    }

    [Fact]
    public void Given_a_late_timer_When_it_fires_after_both_moments_Then_it_escalates_first_and_the_next_fire_alerts_the_new_level()
    {
        var walk = Submitted(On(7, 10));
        walk.Do(new CheckRequestTimers(Id), On(9, 12), Timer).Events.Should().ContainSingle().Which.Should().BeOfType<ServiceRequestEscalated>();
        walk.Do(new CheckRequestTimers(Id), On(9, 16), Timer).Events.Should().ContainSingle().Which.Should().BeOfType<ServiceRequestDelayAlerted>()
            .Which.Level.Should().Be(1);
    }

    [Fact]
    public void Given_a_request_resolved_in_time_Then_the_promise_was_kept_and_nothing_more_can_be_done_but_notes_and_feedback()
    {
        var walk = Submitted(On(7, 10));
        walk.Do(new ResolveRequest(Id, "Done.", "profile", null, "f".PadRight(64, 'f')), On(8, 9)).IsAccepted.Should().BeTrue();
        walk.State!.WithinTurnaround.Should().BeTrue();
        walk.Do(new RejectRequest(Id, "No."), On(8, 10)).ThenConflict("request-closed", Id);
        walk.Do(new WriteOnRequest(Id, "Customer called to say thanks.", ToCustomer: false), On(8, 10)).IsAccepted.Should().BeTrue();
        walk.Do(new WriteOnRequest(Id, "Anything else?", ToCustomer: true), On(8, 10)).ThenConflict("request-closed", Id);

        walk.Do(new GiveFeedback(Id, 6, null), On(8, 12), Customer).ThenRejected("rating-out-of-range", "rating");
        walk.Do(new GiveFeedback(Id, 5, "  Quick.  "), On(8, 12), Customer).ThenEvents(new ServiceRequestFeedbackReceived(Id, 5, "Quick.", On(8, 12)));
        walk.Do(new GiveFeedback(Id, 1, null), On(8, 13), Customer).ThenConflict("feedback-already-given", Id);
    }

    [Fact]
    public void Given_a_form_When_a_field_or_document_is_missing_or_wrong_Then_the_rejection_names_it_and_nothing_is_recorded()
    {
        var walk = new Walk();
        walk.Do(new OpenDraft(Id, "address-change", Ids.Account, "cust-001", new Dictionary<string, string?> { ["line1"] = "1 High Street" }), On(7, 9), Customer)
            .IsAccepted.Should().BeTrue("a draft may be incomplete");
        walk.Do(new SubmitRequest(Id, "SR-1", null), On(7, 10), Customer).ThenRejected("field-required", "fields.city");
        walk.Do(new SubmitRequest(Id, "SR-1", new Dictionary<string, string?>(Address) { ["country"] = "gb" }), On(7, 10), Customer)
            .ThenRejected("field-invalid", "fields.country");
        walk.Do(new SubmitRequest(Id, "SR-1", Address), On(7, 10), Customer).ThenRejected("document-required", "documents.proofOfAddress");
        walk.Do(new SaveDraft(Id, new Dictionary<string, string?> { ["shoeSize"] = "9" }), On(7, 10), Customer).ThenRejected("field-unknown", "fields.shoeSize");
        walk.Do(new SaveDraft(Id, new Dictionary<string, string?> { ["line1"] = new string('x', 101) }), On(7, 10), Customer)
            .ThenRejected("field-too-long", "fields.line1");
        walk.Do(new AttachDocument(Id, Guid.NewGuid(), "passport", "p.pdf", "application/pdf", 10, new string('c', 64)), On(7, 10), Customer)
            .ThenRejected("document-slot-unknown", "slot");
        walk.State!.Status.Should().Be(RequestStatus.Draft);
        walk.State.Fields.Should().BeEquivalentTo(new Dictionary<string, string> { ["line1"] = "1 High Street" });
    }

    [Fact]
    public void Given_a_retired_type_When_a_request_of_it_is_opened_or_a_draft_of_it_submitted_Then_422_names_the_type()
    {
        var retired = Type with { Retired = true };
        new Walk().Do(new OpenDraft(Id, "address-change", Ids.Account, "cust-001", null), On(7, 9), Customer, retired).ThenRejected("type-retired", "type");
        var walk = new Walk();
        walk.Do(new OpenDraft(Id, "address-change", Ids.Account, "cust-001", Address), On(7, 9), Customer).IsAccepted.Should().BeTrue();
        walk.Do(new SubmitRequest(Id, "SR-1", null), On(7, 10), Customer, retired).ThenRejected("type-retired", "type");
    }

    [Fact]
    public void Given_a_draft_When_its_timer_fires_Then_the_customer_is_reminded_once_a_week_before_and_it_expires_unless_saved_again()
    {
        var walk = new Walk();
        walk.Do(new OpenDraft(Id, "address-change", Ids.Account, "cust-001", Address), On(1, 9), Customer);
        walk.State!.DraftExpiresAt.Should().Be(On(31, 9));
        walk.Do(new ReviewDraft(Id), On(24, 8), Timer).ThenEvents();
        walk.Do(new ReviewDraft(Id), On(24, 9), Timer).ThenEvents(new ServiceRequestDraftReminded(Id, On(31, 9), On(24, 9)));
        walk.Do(new ReviewDraft(Id), On(25, 9), Timer).ThenEvents();

        walk.Do(new SaveDraft(Id, Address), On(26, 9), Customer).IsAccepted.Should().BeTrue("saving from another device moves the expiry");
        var expires = On(26, 9).AddDays(30);
        walk.State!.DraftExpiresAt.Should().Be(expires);
        walk.Do(new ReviewDraft(Id), On(31, 9), Timer).ThenEvents(); // the old expiry's timer finds nothing to do
        walk.Do(new ReviewDraft(Id), expires.AddDays(-7), Timer).ThenEvents(new ServiceRequestDraftReminded(Id, expires, expires.AddDays(-7)));
        walk.Do(new ReviewDraft(Id), expires, Timer).ThenEvents(new ServiceRequestDraftExpired(Id, expires));
        walk.Do(new SaveDraft(Id, Address), expires, Customer).ThenConflict("request-not-a-draft", Id);
        walk.Do(new ReviewDraft(Id), expires.AddDays(1), Timer).ThenEvents();
    }

    [Fact]
    public void Given_a_submitted_request_When_the_customer_answers_without_being_asked_or_the_desk_completes_while_waiting_Then_refused()
    {
        var walk = Submitted(On(7, 10));
        walk.Do(new AnswerRequest(Id, "Hello?"), On(7, 11), Customer).ThenConflict("not-waiting", Id);
        walk.Do(new AskCustomer(Id, "Your passport, please.", ["passport"]), On(7, 12))
            .ThenRejected("document-slot-unknown", "documents"); // the customer could never upload it
        walk.Do(new AskCustomer(Id, "Which flat?", null), On(7, 12)).IsAccepted.Should().BeTrue();
        walk.Do(new AskCustomer(Id, "And?", null), On(7, 12)).ThenConflict("already-waiting", Id);
        walk.Do(new ResolveRequest(Id, "Done.", "profile", null, null), On(7, 13)).ThenConflict("waiting-for-customer", Id);
        walk.Do(new RejectRequest(Id, "   "), On(7, 13)).ThenRejected("required", "reason");
        walk.Do(new RejectRequest(Id, "No answer in a month."), On(7, 13)).IsAccepted.Should().BeTrue("a request waiting in vain can be rejected");
    }

    [Fact]
    public void Given_the_catalogue_Then_every_built_in_type_passes_its_own_rules_and_a_type_whose_action_lacks_its_field_is_refused()
    {
        foreach (var type in BuiltInRequestTypes.All)
            type.Check().Should().BeNull(type.Code);
        AddressChange.With(fields: AddressChange.Fields.Where(f => f.Name != "city").ToList()).Check()!.Rule.Should().Be("type-action-needs-field");
        (AddressChange with { Code = "Address" }).Check()!.Field.Should().Be("code");
        (AddressChange with { TurnaroundHours = 0 }).Check()!.Field.Should().Be("turnaroundHours");
        RequestTypeState.Define(Type, AddressChange, "same", On(7, 9)).ThenRejected("type-unchanged");
        RequestTypeState.Retire(Type, "address-change", "moving online", On(7, 9)).IsAccepted.Should().BeTrue();
        Policy.Check().Should().BeNull();
        (Policy with { DraftReminderDays = 30 }).Check()!.Field.Should().Be("draftReminderDays");
    }
}

internal static class DefinitionExtensions
{
    public static RequestTypeDefinition With(this RequestTypeDefinition type, IReadOnlyList<FormField> fields) => type with { Fields = fields };
}
