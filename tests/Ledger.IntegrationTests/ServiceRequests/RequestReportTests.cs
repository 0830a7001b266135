using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Ledger.Api.ServiceRequests;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>
/// The managers' reports over requests a team of its own worked on the test clock (a Monday some years ahead): one done in
/// time and rated, one done late after escalating, one rejected in time; one waiting for the customer, one overdue.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class RequestReportTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.sr-reports"));
    private readonly HttpClient _manager = app.ClientFor(TestUser.Manager("mgr.sr-reports"));

    [Fact]
    public async Task Turnaround_met_or_breached_per_month_type_and_team_and_open_requests_by_age_in_json_and_csv()
    {
        var monday = app.MondayAhead();
        var team = $"reports{Guid.NewGuid():N}"[..20];
        try
        {
            var accountId = await _desk.OpenAccount("cust-sr-reports");
            var customer = app.ClientFor(TestUser.Customer("cust-sr-reports"));
            async Task<Guid> Submit()
            {
                var request = await customer.OpenRequest(accountId, "billing-query",
                    new() { ["entryId"] = Guid.NewGuid().ToString(), ["question"] = "What is this line?" }, submit: true);
                await _desk.PostAsJsonAsync($"/api/service-requests/{request.Id()}/assignment", new { team, assignee = "csr.sr-reports" }).Ok();
                return request.Id();
            }
            var (inTime, late, rejected, waiting, overdue) = (await Submit(), await Submit(), await Submit(), await Submit(), await Submit());
            app.SetNow(monday.AddHours(1));
            await _desk.PostAsJsonAsync($"/api/service-requests/{inTime}/completion", new { resolution = "It is the monthly fee." }).Ok();
            await _desk.PostAsJsonAsync($"/api/service-requests/{rejected}/rejection", new { reason = "Asked twice; answered in the other request." }).Ok();
            await _desk.PostAsJsonAsync($"/api/service-requests/{waiting}/information-requests", new { message = "Which month's bill?" }).Ok();
            var token = app.Services.GetRequiredService<FeedbackLinks>().LinkFor(inTime, monday).Split("token=")[1];
            (await app.CreateClient().PostAsJsonAsync($"/api/service-request-feedback/{token}", new { rating = 5 })).StatusCode.Should().Be(HttpStatusCode.NoContent);

            app.SetNow(monday.AddDays(4)); // Friday 10:00: 32 working hours after submission, the turnaround is 24
            (await app.FireDueRequestTimers(late)).Should().BeGreaterThan(0);
            await _desk.PostAsJsonAsync($"/api/service-requests/{late}/completion", new { resolution = "Sorry for the wait: it is the roaming bundle." }).Ok();

            var from = monday.AddDays(-40).ToString("yyyy-MM-dd");
            var to = monday.AddDays(10).ToString("yyyy-MM-dd");
            var rows = JsonNode.Parse(await _manager.GetStringAsync($"/api/service-request-reports/turnaround?from={from}&to={to}&team={team}"))!.AsArray();
            var row = rows.Should().ContainSingle().Which!.AsObject();
            (row["month"]!.GetValue<string>(), row["type"]!.GetValue<string>()).Should().Be((monday.ToString("yyyy-MM"), "billing-query"));
            (row["closed"]!.GetValue<int>(), row["resolved"]!.GetValue<int>(), row["rejected"]!.GetValue<int>()).Should().Be((3, 2, 1));
            (row["met"]!.GetValue<int>(), row["breached"]!.GetValue<int>(), row["metPercent"]!.GetValue<decimal>()).Should().Be((2, 1, 66.7m));
            row["escalated"]!.GetValue<int>().Should().Be(1);
            row["escalations"]!.GetValue<int>().Should().BeGreaterThanOrEqualTo(1);
            row["maxWorkingHours"]!.GetValue<decimal>().Should().BeApproximately(32m, 0.1m);
            (row["ratings"]!.GetValue<int>(), row["averageRating"]!.GetValue<decimal>()).Should().Be((1, 5m));

            var csv = await _manager.GetAsync($"/api/service-request-reports/turnaround?from={from}&to={to}&team={team}&format=csv");
            csv.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
            var lines = (await csv.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines[0].Trim().Should().StartWith("month,type,team,closed,resolved,rejected,met,breached,metPercent");
            lines.Should().HaveCount(2).And.Subject.Last().Should().StartWith($"{monday:yyyy-MM},billing-query,{team},3,2,1,2,1,66.7");

            var open = JsonNode.Parse(await _manager.GetStringAsync("/api/service-request-reports/open"))!.AsArray()
                .Single(r => r!["team"]!.GetValue<string>() == team)!;
            (open["open"]!.GetValue<int>(), open["waitingForCustomer"]!.GetValue<int>(), open["overdue"]!.GetValue<int>()).Should().Be((2, 1, 1),
                $"{waiting} waits (its clock stopped), {overdue} is past its due time");
            open["threeToSevenDays"]!.GetValue<int>().Should().Be(2);

            await (await _manager.GetAsync($"/api/service-request-reports/turnaround?from={to}&to={from}")).ShouldBeProblem(HttpStatusCode.BadRequest, "range-inverted");
            await (await _manager.GetAsync("/api/service-request-reports/turnaround?from=2020-01-01&to=2022-01-01")).ShouldBeProblem(HttpStatusCode.BadRequest, "range-too-long");
            (await _desk.GetAsync("/api/service-request-reports/open")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "reports are for managers and auditors");
        }
        finally
        {
            app.Clock.Offset = TimeSpan.Zero;
        }
    }
}
