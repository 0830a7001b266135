using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Collections;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;

namespace Ledger.IntegrationTests.Collections;

/// <summary>Timers firing twice (two nodes, a restart) and payments settling while a step is being raised.</summary>
[Collection(LedgerCollection.Name)]
public sealed class CollectionRaceTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.collection-race"));
    private readonly HttpClient _admin = app.ClientFor(TestUser.Admin());

    [Fact]
    public async Task Reviews_racing_each_other_and_a_payment_take_each_step_once_and_never_after_the_bill_is_paid()
    {
        const int accounts = 12;
        var ids = new List<Guid>();
        for (var i = 0; i < accounts; i++)
        {
            var id = await _desk.OpenAccount($"cust-collection-race-{i}");
            await _desk.Post(id, "charges", new { amount = 50m, description = "Service", category = "service" });
            ids.Add(id);
        }
        (await (await _admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = ids })).Body())["issued"]!.GetValue<int>().Should().Be(accounts);
        var statements = await (await _desk.GetAsync($"/api/accounts/{ids[0]}/statements")).Content.ReadFromJsonAsync<JsonNode>();
        var due = DateOnly.Parse(statements!.AsArray()[0]!["dueDate"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        app.Clock.Offset = new DateTimeOffset(due.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero) - DateTimeOffset.UtcNow;
        try
        {
            // Per account: the timer on two nodes at once, a collections run, and the customer's payment, all at the same moment.
            await Task.WhenAll(ids.SelectMany(id => new Func<Task>[]
            {
                () => ReviewAsync(id), () => ReviewAsync(id),
                () => _desk.Post(id, "payments", new { amount = 50m, method = "cash", reference = $"RACE-{id:N}"[..20] }),
            }).Concat([async () => await _admin.PostAsync("/api/collections/runs", null)]).Select(Task.Run));

            foreach (var id in ids)
            {
                // Where the step won, the payment's own review ends dunning; wait for it before reading the stream.
                var events = await Poll.Until(() => app.Events(id), e =>
                    !e.Any(x => x.Type == "collection_step_raised") || e.Any(x => x.Type == "past_due_cleared"));
                var types = events.Select(e => e.Type).ToList();
                types.Count(t => t == "collection_step_raised").Should().BeLessThanOrEqualTo(1, $"account {id} got one reminder at most");
                var paidAt = types.IndexOf("payment_received");
                var stepAt = types.IndexOf("collection_step_raised");
                if (stepAt >= 0)
                {
                    stepAt.Should().BeLessThan(paidAt, "a step is never taken on a bill already paid");
                    types.Should().Contain("past_due_cleared", "paying up after a step ends dunning");
                }
                (await _desk.Account(id))["pastDue"].Should().BeNull();
            }
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Fifty_writers_on_one_past_due_account_leave_one_reminder_at_most_never_after_the_bill_is_paid_and_the_exact_balance()
    {
        var (accountId, due) = await _desk.BilledAsync(_admin, "cust-collection-fifty", 120m);
        app.SetDay(due.AddDays(1));
        try
        {
            // 25 reviews (timers, runs, nodes) and 25 payments of 4.80 (120 in all) at once on the one account.
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => i % 2 == 0
                ? ReviewAsync(accountId)
                : _desk.Post(accountId, "payments", new { amount = 4.80m, method = "cash", reference = $"FIFTY-{i}" }))));

            var events = await Poll.Until(() => app.Events(accountId), e =>
                !e.Any(x => x.Type == "collection_step_raised") || e.Any(x => x.Type == "past_due_cleared"));
            var types = events.Select(e => e.Type).ToList();
            types.Count(t => t == "payment_received").Should().Be(25);
            types.Count(t => t == "collection_step_raised").Should().BeLessThanOrEqualTo(1);
            var lastPayment = types.LastIndexOf("payment_received");
            types.IndexOf("collection_step_raised").Should().BeLessThan(lastPayment, "no step once the last payment covered the bill");
            events.Select(e => e.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
            (await _desk.Balance(accountId)).Should().Be(0m);
            (await _desk.Account(accountId))["pastDue"].Should().BeNull();
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }

    private async Task ReviewAsync(Guid accountId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync<CommandOutcome>(new ReviewAccountCollections(accountId, false));
    }
}
