using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.IntegrationTests.Harness;
using Ledger.IntegrationTests.ServiceRequests;

namespace Ledger.IntegrationTests.Statements;

/// <summary>A statement run through the API answers when done and is recorded: its counts, who started it, among the past runs.</summary>
[Collection(LedgerCollection.Name)]
public sealed class StatementRunRecordTests(LedgerApp app)
{
    [Fact]
    public async Task Given_two_accounts_and_an_unknown_one_When_a_run_is_asked_for_Then_its_record_holds_the_counts_and_the_failure()
    {
        var desk = app.ClientFor(TestUser.Csr());
        var admin = app.ClientFor(TestUser.Admin("ada.runs"));
        var (a, b, unknown) = (await desk.OpenAccount("cust-run-a"), await desk.OpenAccount("cust-run-b"), Guid.NewGuid());
        await desk.Post(a, "charges", new { amount = 12m, description = "Supply", category = "energy" });
        await Task.Delay(1100);

        var report = await admin.PostAsJsonAsync("/api/statement-runs", new { accountIds = new[] { a, b, unknown } }).Ok();
        var runId = report["runId"]!.GetValue<Guid>();
        var run = await admin.GetAsync($"/api/statement-runs/{runId}").Ok();

        (run["status"]!.GetValue<string>(), run["total"]!.GetValue<int>(), run["done"]!.GetValue<int>(), run["failureCount"]!.GetValue<int>())
            .Should().Be(("finished", 3, 3, 1));
        (run["issued"]!.GetValue<int>(), run["skipped"]!.GetValue<int>())
            .Should().Be((report["issued"]!.GetValue<int>(), report["alreadyBilledOrNothingToBill"]!.GetValue<int>()));
        (run["issued"]!.GetValue<int>() + run["skipped"]!.GetValue<int>()).Should().Be(2);
        run["failures"]![0]!["accountId"]!.GetValue<Guid>().Should().Be(unknown);
        run["startedBy"]!.GetValue<string>().Should().Be("ada.runs");
        run["finishedAt"].Should().NotBeNull();

        var runs = (await admin.GetFromJsonAsync<JsonArray>("/api/statement-runs"))!;
        runs.Select(r => r!["id"]!.GetValue<Guid>()).Should().Contain(runId);
        await (await admin.GetAsync($"/api/statement-runs/{Guid.NewGuid()}")).ShouldBeProblem(HttpStatusCode.NotFound);
    }
}
