using System.Net;
using System.Net.Http.Json;
using Ledger.Domain.ServiceRequests;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>
/// A request's promise over time, on the test's clock (a Monday some years ahead; the default calendar: Monday to Friday,
/// 09:00 to 17:00 UTC): the due time in working hours, the clock stopped while waiting for the customer, the alert at 75 %,
/// the escalation at the due time — each once, however often its durable timer fires — and the completion.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class ServiceRequestTimingTests(LedgerApp app)
{
    private static readonly WorkingCalendar Calendar = WorkingCalendar.Default;
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.requests"));

    [Fact]
    public async Task A_request_is_due_in_working_hours_waits_for_the_customer_alerts_escalates_once_and_completes_through_the_ledger()
    {
        var monday = app.MondayAhead();
        try
        {
            var accountId = await _desk.OpenAccount("cust-sr-timing");
            var customer = app.ClientFor(TestUser.Customer("cust-sr-timing"));
            var draft = await customer.OpenRequest(accountId, "address-change", Requests.NewAddress);
            var id = draft.Id();
            (await customer.Upload(id, "proof.pdf", Requests.Pdf(), "proofOfAddress")).StatusCode.Should().Be(HttpStatusCode.Created);
            var submitted = await customer.PostAsJsonAsync($"/api/service-requests/{id}/submission", new { }).Ok();

            var at = submitted["summary"]!["submittedAt"]!.GetValue<DateTimeOffset>();
            submitted["summary"]!["number"]!.GetValue<string>().Should().MatchRegex(@"^SR-\d{4}-\d{6}$");
            var due = submitted.Due()!.Value;
            due.Should().Be(Calendar.Add(at, TimeSpan.FromHours(16)));
            due.Date.Should().Be(monday.Date.AddDays(2), "16 working hours from Monday 10:00 end on Wednesday at 10:00");
            var alertAt = Calendar.Add(at, TimeSpan.FromHours(12));
            (await app.ScheduledRequestTimers(id)).Where(t => t.Kind == "request").Select(t => t.At)
                .Should().BeEquivalentTo(new[] { alertAt, due }.Select(Whole), "the alert and the escalation are durable scheduled messages");

            // The desk takes it, then needs a newer proof: the clock stops (no due time) and the customer is asked.
            var queue = await _desk.GetAsync("/api/service-requests?team=accounts").Ok();
            queue["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()).Should().Contain(id);
            await _desk.PostAsJsonAsync($"/api/service-requests/{id}/assignment", new { team = "accounts", assignee = "csr.requests" }).Ok();
            await _desk.PostAsync($"/api/service-requests/{id}/review", null).Ok();
            app.SetNow(monday.AddHours(5)); // Monday 15:00: 5 working hours used
            var waiting = await _desk.PostAsJsonAsync($"/api/service-requests/{id}/information-requests",
                new { message = "The proof is older than three months.", documents = new[] { "proofOfAddress" } }).Ok();
            (waiting.Status(), waiting.Due()).Should().Be(("waiting-for-customer", (DateTimeOffset?)null));
            await _desk.PostAsJsonAsync($"/api/service-requests/{id}/notes", new { text = "Checked with the land registry." }).Ok();

            app.SetNow(monday.AddDays(3).AddHours(6)); // Thursday 16:00: the old due time passed while waiting
            (await app.FireDueRequestTimers(id)).Should().Be(2);
            (await customer.Request(id)).Timeline().Should().NotContain(["escalated", "delay-alert"], "a stopped clock never runs late");
            await (await customer.PostAsJsonAsync($"/api/service-requests/{id}/answer", new { message = "Here it is." }))
                .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "document-required");
            (await customer.Upload(id, "newer.pdf", Requests.Pdf("Council tax bill, this month"), "proofOfAddress")).StatusCode
                .Should().Be(HttpStatusCode.Created);
            var answered = await customer.PostAsJsonAsync($"/api/service-requests/{id}/answer", new { message = "Here it is." }).Ok();
            var answeredAt = answered["timeline"]!.AsArray().Last(t => t!["kind"]!.GetValue<string>() == "customer-answered")!["at"]!.GetValue<DateTimeOffset>();
            var askedAt = answered["timeline"]!.AsArray().Last(t => t!["kind"]!.GetValue<string>() == "information-requested")!["at"]!.GetValue<DateTimeOffset>();
            var used = Calendar.Between(at, askedAt);
            used.Should().BeCloseTo(TimeSpan.FromHours(5), TimeSpan.FromSeconds(5));
            answered.Due().Should().Be(Calendar.Add(answeredAt, TimeSpan.FromHours(16) - used), "the clock resumes with exactly what was left");
            answered.Due()!.Value.Date.Should().Be(monday.Date.AddDays(7), "11 hours from Thursday 16:00: Thursday 1, Friday 8, Monday 2");

            // The customer never sees the desk's notes, alerts or who it is assigned to.
            var seen = await customer.Request(id);
            seen.Timeline().Should().NotContain("note").And.Contain(["submitted", "information-requested", "customer-answered"]);
            seen.ToJsonString().Should().NotContain("land registry").And.NotContain("csr.requests");
            (await _desk.Request(id)).Timeline().Should().Contain("note");

            // The alert at 75 % (Friday 15:00), fired twice as a redelivery would: one alert.
            app.SetNow(Calendar.Add(answeredAt, TimeSpan.FromHours(12) - used).AddMinutes(1));
            await app.FireDueRequestTimers(id);
            await app.FireRequestTimer(id);
            (await _desk.Request(id)).Timeline().Count(k => k == "delay-alert").Should().Be(1);

            // The due time passes: the team lead has it, the customer hears the new expected time; timers fired again and
            // concurrently (two nodes) escalate once.
            app.SetNow(answered.Due()!.Value.AddMinutes(1));
            await Task.WhenAll(app.FireDueRequestTimers(id), app.FireRequestTimer(id), app.FireRequestTimer(id));
            var late = await customer.Request(id);
            late.Timeline().Count(k => k == "escalated").Should().Be(1);
            late["summary"]!["level"]!.GetValue<int>().Should().Be(1);
            late.Due().Should().Be(Calendar.Add(answered.Due()!.Value, TimeSpan.FromHours(8)), "an escalation extends the promise by 50 % of the turnaround");
            late["summary"]!["workingHoursLeft"]!.GetValue<decimal>().Should().BeApproximately(8m, 0.05m);

            var completed = await _desk.PostAsJsonAsync($"/api/service-requests/{id}/completion", new { resolution = "Your address is now 2 Station Road, Leeds." }).Ok();
            (completed.Status(), completed["applied"]!.GetValue<string>(), completed["withinTurnaround"]!.GetValue<bool>())
                .Should().Be(("resolved", "profile-changed", false));
            (await _desk.Account(accountId))["address"]!["line1"]!.GetValue<string>().Should().Be("2 Station Road", "completion changed the profile through the ledger");
            (await app.Events(accountId)).Select(e => e.Type).Should().Contain("profile_changed");
            var proof = await customer.GetAsync($"/api/service-requests/{id}/proof");
            proof.StatusCode.Should().Be(HttpStatusCode.OK);
            var verified = await Pdfsig.ReadAsync(await proof.Content.ReadAsByteArrayAsync());
            verified.Should().Contain("Signature is Valid", "the proof is a PAdES-signed PDF").And.Contain("ETSI.CAdES.detached");

            app.SetNow(late.Due()!.Value.AddDays(30));
            await app.FireRequestTimer(id);
            (await _desk.Request(id)).Timeline().Should().EndWith("resolved", "a closed request's timers do nothing");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_draft_is_reminded_a_week_before_it_expires_a_save_moves_its_expiry_and_an_expired_draft_cannot_be_saved()
    {
        var monday = app.MondayAhead();
        try
        {
            var accountId = await _desk.OpenAccount("cust-sr-drafts");
            var customer = app.ClientFor(TestUser.Customer("cust-sr-drafts"));
            var draft = await customer.OpenRequest(accountId, "address-change", new() { ["line1"] = "9 Elm Row" });
            var id = draft.Id();
            var expires = draft["summary"]!["draftExpiresAt"]!.GetValue<DateTimeOffset>();
            expires.Should().BeCloseTo(monday.AddDays(30), TimeSpan.FromSeconds(10));
            (await app.ScheduledRequestTimers(id)).Select(t => t.At).Should().BeEquivalentTo(new[] { expires.AddDays(-7), expires }.Select(Whole));

            app.SetNow(expires.AddDays(-7).AddMinutes(1));
            (await app.FireDueRequestTimers(id)).Should().Be(1);
            await app.FireRequestTimer(id, draft: true);
            (await customer.Request(id)).Timeline().Count(k => k == "draft-reminded").Should().Be(1, "reminded once, however often the timer fires");

            app.SetNow(expires.AddDays(-5));
            var saved = await customer.PutAsJsonAsync($"/api/service-requests/{id}/draft", new { fields = new { line1 = "9 Elm Row", city = "York" } }).Ok();
            var later = saved["summary"]!["draftExpiresAt"]!.GetValue<DateTimeOffset>();
            later.Should().BeAfter(expires);
            app.SetNow(expires.AddMinutes(1));
            await app.FireDueRequestTimers(id);
            (await customer.Request(id)).Status().Should().Be("draft", "the save moved the expiry: the old timer finds nothing to do");

            app.SetNow(later.AddDays(-7).AddMinutes(1));
            (await app.FireDueRequestTimers(id)).Should().Be(1);
            app.SetNow(later.AddMinutes(1));
            await app.FireDueRequestTimers(id);
            var expired = await customer.Request(id);
            expired.Status().Should().Be("expired");
            expired.Timeline().Count(k => k == "draft-reminded").Should().Be(2, "the moved expiry was reminded of too");
            await (await customer.PutAsJsonAsync($"/api/service-requests/{id}/draft", new { fields = new { line1 = "Too late" } }))
                .ShouldBeProblem(HttpStatusCode.Conflict, "request-not-a-draft");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    // Wolverine keeps execution times to the microsecond; the domain's to the tick.
    private static DateTimeOffset Whole(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
}
