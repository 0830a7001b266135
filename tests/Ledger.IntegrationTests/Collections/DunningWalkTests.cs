using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Collections;

/// <summary>
/// A bill walked from its due date to cancellation and back to reinstatement on the test's clock, each step raised by the
/// durable timer the step before scheduled (fired here as Wolverine would when its day comes), under the default dunning policy:
/// reminder 1 day past due, late notice (fee 10) 15, intent to cancel 30, suspension 45, cancellation 60, reinstatement within 30.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class DunningWalkTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.dunning"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());
    private readonly HttpClient _auditor = app.ClientFor(TestUser.Auditor());

    [Fact]
    public async Task A_bill_walks_from_due_to_cancellation_one_timer_at_a_time_and_paying_in_full_reinstates_it()
    {
        var (accountId, dueDate) = await _desk.BilledAsync(_admin, "cust-dunning-walk", 120m);
        try
        {
            (await app.ScheduledReviews(accountId)).Should().Equal([Collecting.TimerOn(dueDate.AddDays(1))], "the bill schedules its first review durably, in its own transaction");

            app.SetDay(dueDate);
            (await app.FireDueReviews(accountId)).Should().Be(0, "nothing is due on the due date itself");
            (await _desk.Account(accountId))["pastDue"].Should().BeNull();

            app.SetDay(dueDate.AddDays(1));
            (await app.FireDueReviews(accountId)).Should().Be(1);
            var reminded = (await _desk.Account(accountId))["pastDue"]!;
            reminded["amount"]!.GetValue<decimal>().Should().Be(120m);
            reminded["since"]!.GetValue<string>().Should().Be($"{dueDate.AddDays(1):yyyy-MM-dd}");
            reminded["days"]!.GetValue<int>().Should().Be(1);
            reminded["currentStep"]!.GetValue<string>().Should().Be("reminder");
            reminded["nextStep"]!.GetValue<string>().Should().Be("lateNotice");
            reminded["nextStepOn"]!.GetValue<string>().Should().Be($"{dueDate.AddDays(15):yyyy-MM-dd}");
            (await app.ScheduledReviews(accountId)).Should().Equal([Collecting.TimerOn(dueDate.AddDays(15))], "the step schedules the next one");
            (await app.FireDueReviews(accountId)).Should().Be(0, "the next timer is not due yet");

            app.SetDay(dueDate.AddDays(15));
            await app.FireDueReviews(accountId);
            (await _desk.Balance(accountId)).Should().Be(130m, "the late notice charged the fee");

            // An auditor replays the account to the version of the late notice, five days on: the state as it stood then.
            app.SetDay(dueDate.AddDays(20));
            var lateNoticeVersion = (await app.Events(accountId)).Last(e => e.Type == "collection_step_raised").Version;
            await _desk.Post(accountId, "payments", new { amount = 20m, method = "cash", reference = "PART" });
            var replayed = (await (await _auditor.GetAsync($"/api/accounts/{accountId}?version={lateNoticeVersion}")).Body())["pastDue"]!;
            replayed["currentStep"]!.GetValue<string>().Should().Be("lateNotice");
            replayed["amount"]!.GetValue<decimal>().Should().Be(120m, "the part payment came after that version");
            replayed["days"]!.GetValue<int>().Should().Be(20);
            (await _desk.Account(accountId))["pastDue"]!["amount"]!.GetValue<decimal>().Should().Be(100m);

            app.SetDay(dueDate.AddDays(30));
            await app.FireDueReviews(accountId);
            (await _desk.Account(accountId))["pastDue"]!["cancellationEffectiveOn"]!.GetValue<string>().Should().Be($"{dueDate.AddDays(60):yyyy-MM-dd}");

            app.SetDay(dueDate.AddDays(45));
            await app.FireDueReviews(accountId);
            (await _desk.Account(accountId))["status"]!.GetValue<string>().Should().Be("suspended");

            app.SetDay(dueDate.AddDays(60));
            await app.FireDueReviews(accountId);
            var cancelled = await _desk.Account(accountId);
            cancelled["status"]!.GetValue<string>().Should().Be("cancelled");
            cancelled["pastDue"]!["reinstateUntil"]!.GetValue<string>().Should().Be($"{dueDate.AddDays(90):yyyy-MM-dd}");
            (await app.ScheduledReviews(accountId)).Should().BeEmpty("cancellation is the last step");
            var refused = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/charges", new { amount = 5m, description = "Usage", category = "usage" });
            await refused.ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "account-cancelled");

            app.SetDay(dueDate.AddDays(70));
            await _desk.Post(accountId, "payments", new { amount = 110m, method = "cash", reference = "PAID-IN-FULL" });
            var reinstated = await Poll.Until(() => _desk.Account(accountId), a => a["status"]!.GetValue<string>() == "open");
            reinstated["status"]!.GetValue<string>().Should().Be("open", "the payment's review reinstates the account");
            reinstated["pastDue"].Should().BeNull();

            var steps = (await app.Events(accountId)).Select(e => e.Type).Where(t => t is "collection_step_raised" or "account_suspended" or "account_cancelled"
                or "account_reinstated" or "charge_posted").ToList();
            steps.Should().Equal("charge_posted", "collection_step_raised", "collection_step_raised", "charge_posted", "collection_step_raised",
                "collection_step_raised", "account_suspended", "collection_step_raised", "account_cancelled", "account_reinstated");

        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_payment_a_second_before_the_reminder_leaves_the_timer_nothing_to_do()
    {
        var (accountId, dueDate) = await _desk.BilledAsync(_admin, "cust-dunning-second", 80m);
        try
        {
            app.Clock.Offset = Collecting.TimerOn(dueDate.AddDays(1)).AddSeconds(-1) - DateTimeOffset.UtcNow;
            await _desk.Post(accountId, "payments", new { amount = 80m, method = "cash", reference = "JUST-IN-TIME" });
            var before = (await app.Events(accountId)).Count;

            app.SetDay(dueDate.AddDays(1));
            (await app.FireDueReviews(accountId)).Should().Be(1);

            (await app.Events(accountId)).Count.Should().Be(before, "a paid bill takes no step");
            (await _desk.Account(accountId))["pastDue"].Should().BeNull();
            (await app.ScheduledReviews(accountId)).Should().BeEmpty("nothing is owed, so nothing is scheduled");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
