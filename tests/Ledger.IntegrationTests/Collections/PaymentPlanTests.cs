using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Collections;

/// <summary>Plans kept and broken on the test's clock (default policy: 5 days' grace; a CSR agrees up to 6 instalments and 500).</summary>
[Collection(LedgerCollection.Name)]
public sealed class PaymentPlanTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.plans"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.plans"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    [Fact]
    public async Task A_plan_kept_holds_dunning_and_ends_it_when_the_last_instalment_is_met()
    {
        var (accountId, due) = await _desk.BilledAsync(_admin, "cust-plan-kept", 90m);
        try
        {
            await app.WalkAsync(accountId, due, until: 1);
            var agreed = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payment-plans", new
            {
                instalments = new[] { Instalment(due.AddDays(5), 30m), Instalment(due.AddDays(20), 30m), Instalment(due.AddDays(35), 30m) },
            });
            agreed.StatusCode.Should().Be(HttpStatusCode.Created, await agreed.Content.ReadAsStringAsync());
            (await app.ScheduledReviews(accountId)).Should().Contain([Collecting.TimerOn(due.AddDays(11)), Collecting.TimerOn(due.AddDays(26)),
                Collecting.TimerOn(due.AddDays(41))], "each instalment is looked at the day after its grace");

            foreach (var (day, left) in new[] { (5, 2), (20, 1), (35, 0) })
            {
                app.SetDay(due.AddDays(day));
                await _desk.Post(accountId, "payments", new { amount = 30m, method = "cash", reference = $"PLAN-{day}" });
                await app.FireDueReviews(accountId);
                var plan = await Poll.Until(() => _desk.Account(accountId), a => left == 0
                    ? a["paymentPlan"] is null
                    : a["paymentPlan"]?["instalments"]!.AsArray().Count(i => i!["status"]!.GetValue<string>() == "met") == 3 - left);
                if (left > 0)
                    plan["paymentPlan"]!["nextDueOn"]!.GetValue<string>().Should().NotBeNull();
            }

            var types = (await app.Events(accountId)).Select(e => e.Type).ToList();
            types.Count(t => t == "collection_step_raised").Should().Be(1, "the reminder before the plan; none while it ran");
            types.Should().Contain(["payment_plan_agreed", "plan_instalment_covered", "payment_plan_completed", "past_due_cleared"]);
            (await _desk.Account(accountId))["pastDue"].Should().BeNull();
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_plan_broken_after_its_grace_resumes_dunning_with_the_next_step()
    {
        var (accountId, due) = await _desk.BilledAsync(_admin, "cust-plan-broken", 90m);
        try
        {
            await app.WalkAsync(accountId, due, until: 1);
            (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payment-plans", new
            {
                instalments = new[] { Instalment(due.AddDays(3), 45m), Instalment(due.AddDays(33), 45m) },
            })).StatusCode.Should().Be(HttpStatusCode.Created);
            await _desk.Post(accountId, "payments", new { amount = 20m, method = "cash", reference = "PLAN-SHORT" });

            app.SetDay(due.AddDays(8));
            await app.FireDueReviews(accountId);
            (await _desk.Account(accountId))["paymentPlan"].Should().NotBeNull("within the grace after the first instalment");

            app.SetDay(due.AddDays(9));
            await app.FireDueReviews(accountId);
            var account = await _desk.Account(accountId);
            account["paymentPlan"].Should().BeNull();
            account["pastDue"]!["currentStep"]!.GetValue<string>().Should().Be("reminder", "dunning resumes where it stood");
            account["pastDue"]!["nextStepOn"]!.GetValue<string>().Should().Be($"{due.AddDays(15):yyyy-MM-dd}");
            await Poll.Until(() => app.ScheduledReviews(accountId), t => t.Contains(Collecting.TimerOn(due.AddDays(15))));
            (await app.ScheduledReviews(accountId)).Should().Contain(Collecting.TimerOn(due.AddDays(15)), "the next step has its timer again");
            account["pastDue"]!["amount"]!.GetValue<decimal>().Should().Be(70m);
            (await app.Events(accountId)).Select(e => e.Type).Should().Contain("payment_plan_defaulted");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_plan_that_does_not_add_up_or_starts_in_the_past_is_refused_and_one_above_the_desks_limits_waits_for_a_manager()
    {
        var (accountId, due) = await _desk.BilledAsync(_admin, "cust-plan-rules", 70m);
        try
        {
            await app.WalkAsync(accountId, due, until: 1);
            var before = (await app.Events(accountId)).Count;
            (await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payment-plans",
                    new { instalments = new[] { Instalment(due.AddDays(5), 30m), Instalment(due.AddDays(10), 30m) } }))
                .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "instalments-do-not-add-up"))["field"]?.GetValue<string>().Should().Be("instalments");
            await (await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payment-plans",
                    new { instalments = new[] { Instalment(due.AddDays(-1), 70m) } }))
                .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "instalment-in-past");
            (await app.Events(accountId)).Count.Should().Be(before, "a refused plan appends nothing");

            var seven = Enumerable.Range(1, 7).Select(i => Instalment(due.AddDays(7 * i), 10m)).ToArray();
            var asked = await _desk.PostAsJsonAsync($"/api/accounts/{accountId}/payment-plans", new { instalments = seven });
            asked.StatusCode.Should().Be(HttpStatusCode.Accepted, await asked.Content.ReadAsStringAsync());
            var approvalId = (await asked.Body())["approvalId"]!.GetValue<Guid>();
            (await _manager.PostAsJsonAsync($"/api/approvals/{approvalId}/approve", new { note = "Seven weeks is fine" })).StatusCode.Should().Be(HttpStatusCode.OK);
            (await _desk.Account(accountId))["paymentPlan"]!["instalments"]!.AsArray().Should().HaveCount(7);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    private static object Instalment(DateOnly on, decimal amount) => new { dueOn = on.ToString("yyyy-MM-dd"), amount };
}
