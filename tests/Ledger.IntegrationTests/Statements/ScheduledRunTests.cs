using System.Net.Http.Json;
using Ledger.Api.Statements;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Ledger.IntegrationTests.Statements;

[Collection(LedgerCollection.Name)]
public sealed class ScheduledRunTests(LedgerApp app)
{
    [Fact]
    public async Task Nodes_starting_together_schedule_tomorrows_run_once()
    {
        await using (var connection = new NpgsqlConnection(app.ConnectionString))
        {
            await connection.OpenAsync();
            await using var clear = new NpgsqlCommand("delete from ledger.wolverine_incoming_envelopes where message_type like '%RunDueStatements%'", connection);
            await clear.ExecuteNonQueryAsync();
        }
        // Eight nodes' start-up at the same moment: each looks for a scheduled run and would add one if it found none.
        var nodes = Enumerable.Range(0, 8).Select(_ => ActivatorUtilities.CreateInstance<Ledger.Api.Infrastructure.NightlyRunScheduler>(app.Services)).ToList();

        await Task.WhenAll(nodes.Select(n => Task.Run(() => n.StartAsync(CancellationToken.None))));

        (await app.ScheduledMessages("RunDueStatements")).Should().Be(1);
    }

    [Fact]
    public async Task The_nightly_run_is_scheduled_durably_bills_the_accounts_due_that_day_and_schedules_the_next()
    {
        (await app.ScheduledMessages("RunDueStatements")).Should().BeGreaterThan(0, "start-up schedules tomorrow's run in PostgreSQL");
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        if (tomorrow.Day > 28)
            return; // no account bills on the 29th-31st (billing days stop at 28); scheduling was proven above

        using var desk = app.ClientFor(TestUser.Csr("csr.nightly"));
        var response = await desk.PostAsJsonAsync("/api/accounts", new
        {
            customerId = "cust-nightly", holderName = "Night Owl", currency = "EUR", billingDay = tomorrow.Day,
            address = new { line1 = "1 Moon St", city = "Berlin", postalCode = "10115", country = "DE" },
        });
        var due = (await response.Body())["id"]!.GetValue<Guid>();
        await desk.Post(due, "charges", new { amount = 42m, description = "Night tariff", category = "energy" });
        var notDue = await desk.OpenAccount("cust-not-due");
        await desk.Post(notDue, "charges", new { amount = 1m, description = "x", category = "y" });
        var scheduledBefore = await app.ScheduledMessages("RunDueStatements");

        app.Clock.Offset = TimeSpan.FromDays(1); // it is now past tomorrow's midnight, when the scheduled message fires
        try
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new RunDueStatements(tomorrow));
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((await app.Events(due)).All(e => e.Type != "statement_issued") && DateTime.UtcNow < deadline)
                await Task.Delay(100);
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }

        (await app.Events(due)).Count(e => e.Type == "statement_issued").Should().Be(1);
        (await app.Events(notDue)).Should().NotContain(e => e.Type == "statement_issued");
        (await desk.Account(due))["billedBalance"]!.GetValue<decimal>().Should().Be(42m);
        (await app.ScheduledMessages("RunDueStatements")).Should().BeGreaterThan(scheduledBefore, "the run reschedules itself for the next day");
    }
}
