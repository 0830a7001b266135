using System.Net;
using System.Net.Http.Json;
using Ledger.IntegrationTests.Harness;
using Npgsql;

namespace Ledger.IntegrationTests.ServiceRequests;

/// <summary>Writers racing on one request: each write is decided on the request as the one before it left it.</summary>
[Collection(LedgerCollection.Name)]
public sealed class ServiceRequestRaceTests(LedgerApp app)
{
    private readonly HttpClient _desk = app.ClientFor(TestUser.Csr("csr.sr-race"));

    private async Task<IReadOnlyList<(long Version, string Type)>> Stream(Guid requestId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select version, type from ledger.mt_events where stream_id = @id order by seq_id", connection);
        command.Parameters.AddWithValue("id", requestId);
        var events = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1)));
        return events;
    }

    [Fact]
    public async Task Fifty_writers_at_once_on_one_request_all_land_in_order_and_twenty_submissions_of_one_draft_submit_it_once()
    {
        var accountId = await _desk.OpenAccount("cust-sr-race");
        var customer = app.ClientFor(TestUser.Customer("cust-sr-race"));
        var fields = new Dictionary<string, string?> { ["entryId"] = Guid.NewGuid().ToString(), ["question"] = "Why twice?" };

        var draft = (await customer.OpenRequest(accountId, "billing-query", fields)).Id();
        var submissions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => customer.PostAsJsonAsync($"/api/service-requests/{draft}/submission", new { })));
        submissions.Count(r => r.StatusCode == HttpStatusCode.OK).Should().Be(1);
        foreach (var refused in submissions.Where(r => r.StatusCode != HttpStatusCode.OK))
            await refused.ShouldBeProblem(HttpStatusCode.Conflict, "request-not-a-draft");
        (await Stream(draft)).Count(e => e.Type == "service_request_submitted").Should().Be(1);
        (await app.ScheduledRequestTimers(draft)).Count(t => t.Kind == "request").Should().Be(2, "one alert and one escalation timer, not twenty of each");

        var writes = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => i % 2 == 0
            ? _desk.PostAsJsonAsync($"/api/service-requests/{draft}/notes", new { text = $"note {i}" })
            : _desk.PostAsJsonAsync($"/api/service-requests/{draft}/messages", new { text = $"message {i}" })));
        writes.Select(w => w.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.OK);
        var stream = await Stream(draft);
        stream.Select(e => e.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        stream.Count(e => e.Type is "service_request_note_added" or "service_request_message_sent").Should().Be(50);

        // The desk completes and rejects at once: one wins, the other is told the request is closed.
        var endings = await Task.WhenAll(
            _desk.PostAsJsonAsync($"/api/service-requests/{draft}/completion", new { resolution = "It was charged twice; corrected." }),
            _desk.PostAsJsonAsync($"/api/service-requests/{draft}/rejection", new { reason = "Duplicate of another request." }));
        endings.Count(e => e.StatusCode == HttpStatusCode.OK).Should().Be(1);
        endings.Count(e => e.StatusCode == HttpStatusCode.Conflict).Should().Be(1);
        (await Stream(draft)).Count(e => e.Type is "service_request_resolved" or "service_request_rejected").Should().Be(1);
    }
}
