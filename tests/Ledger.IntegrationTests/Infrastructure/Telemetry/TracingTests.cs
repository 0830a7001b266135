using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Infrastructure.Telemetry;
using Ledger.IntegrationTests.Harness;

namespace Ledger.IntegrationTests.Infrastructure.Telemetry;

/// <summary>
/// Issue 25: one charge is one trace, from the HTTP request through Wolverine's handler and the group commit's transaction
/// into Marten and PostgreSQL. The listener hears the sources the service exports (<see cref="TelemetrySetup.TracedSources"/>),
/// so a source renamed in a library fails here, not silently in production.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class TracingTests(LedgerApp app)
{
    [Fact]
    public async Task Given_a_charge_Then_its_spans_from_AspNetCore_Wolverine_the_ledger_Marten_and_Npgsql_share_one_trace()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var account = await desk.OpenAccount("cust-traced");
        var spans = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => TelemetrySetup.TracedSources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Add,
        };
        ActivitySource.AddActivityListener(listener);
        var correlation = $"trace-{Guid.NewGuid():N}";

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/accounts/{account}/charges")
        {
            Content = JsonContent.Create(new { amount = 7m, description = "Traced", category = "data" }),
        };
        request.Headers.Add("X-Correlation-Id", correlation);
        (await desk.SendAsync(request)).StatusCode.Should().Be(HttpStatusCode.Created);

        // The request's own span ends as the answer leaves, which may be just after the client has it.
        var root = await Poll.UntilCollected(() => spans.FirstOrDefault(s => s.Source.Name == "Microsoft.AspNetCore"
            && (string?)s.GetTagItem(CorrelationScope.SpanTag) == correlation), s => s is not null, TimeSpan.FromSeconds(5));
        root.Should().NotBeNull("the request's span carries its correlation id");
        var trace = spans.Where(s => s.TraceId == root!.TraceId).ToList();
        trace.Select(s => s.Source.Name).Distinct().Should().Contain(["Microsoft.AspNetCore", "Wolverine", LedgerTracing.SourceName, "Marten", "Npgsql"]);
        var commit = trace.Single(s => s.OperationName == "ledger.group_commit");
        trace.Where(s => s.Source.Name == "Npgsql").Should().Contain(s => IsUnder(s, commit, trace), "the transaction's statements are under the group commit's span");
    }

    private static bool IsUnder(Activity span, Activity ancestor, List<Activity> trace)
    {
        for (var parent = span.ParentSpanId; parent != default;)
        {
            if (parent == ancestor.SpanId)
                return true;
            parent = trace.FirstOrDefault(s => s.SpanId == parent)?.ParentSpanId ?? default;
        }
        return false;
    }
}
