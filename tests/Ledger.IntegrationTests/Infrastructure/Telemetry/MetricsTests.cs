using System.Net;
using System.Net.Http.Json;
using Ledger.Api.Infrastructure.Telemetry;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Runtime;

namespace Ledger.IntegrationTests.Infrastructure.Telemetry;

/// <summary>
/// Issue 25: /metrics carries the ledger's own figures. Counters are cumulative and the suite writes beside this test, so
/// each is read before and after and the difference checked.
/// </summary>
[Collection(LedgerCollection.Name)]
public sealed class MetricsTests(LedgerApp app)
{
    private async Task<Scrape> ScrapeAsync()
    {
        using var prometheus = app.CreateClient();
        var response = await prometheus.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK, "in Development and Testing /metrics is open");
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
        return new Scrape(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Given_a_charge_and_a_refused_charge_When_scraped_Then_writes_are_counted_by_kind_and_rejections_by_rule()
    {
        using var desk = app.ClientFor(TestUser.Csr());
        var account = await desk.OpenAccount("cust-metrics");
        var before = await ScrapeAsync();
        (string, string)[] charged = [("kind", "PostCharge"), ("outcome", "applied")];
        (string, string)[] inverted = [("rule", "service-period-inverted"), ("kind", "PostCharge")];

        (await desk.PostAsJsonAsync($"/api/accounts/{account}/charges", new { amount = 12.5m, description = "Data", category = "data" }))
            .StatusCode.Should().Be(HttpStatusCode.Created);
        await (await desk.PostAsJsonAsync($"/api/accounts/{account}/charges",
                new { amount = 1m, description = "Backwards", category = "data", serviceFrom = "2026-03-31", serviceTo = "2026-03-01" }))
            .ShouldBeProblem(HttpStatusCode.UnprocessableEntity, "service-period-inverted");

        // The exporter answers from a cache of a few hundred milliseconds.
        var after = await Poll.Until(ScrapeAsync, s => s.Sum("ledger_rejections_total", inverted) > before.Sum("ledger_rejections_total", inverted),
            TimeSpan.FromSeconds(5));
        (after.Sum("ledger_writes_total", charged) - before.Sum("ledger_writes_total", charged)).Should().BeGreaterThanOrEqualTo(1);
        (after.Sum("ledger_rejections_total", inverted) - before.Sum("ledger_rejections_total", inverted)).Should().BeGreaterThanOrEqualTo(1);
        after.Sum("ledger_group_commit_batch_size_count").Should().BeGreaterThan(before.Sum("ledger_group_commit_batch_size_count"));
        foreach (var gauge in new[] { "ledger_projection_lag", "ledger_approvals_pending", "ledger_outbox_depth", "ledger_dead_letters" })
            after.Has(gauge).Should().BeTrue($"{gauge} is published");
        after.Sum("marten_event_append_events_total", ("event_type", "charge_posted")).Should().BeGreaterThan(0, "Marten counts the events it appends");
        // Wolverine's, ASP.NET Core's and Npgsql's meters are exported too, but are one per host: OpenTelemetry drops a stream
        // when any same-named meter goes, so with the suite's other hosts stopping beside this one they come and go here.
        // Wolverine names its meter after the service, which the exporter matches with a wildcard.
        app.Services.GetRequiredService<IWolverineRuntime>().Meter.Name.Should().StartWith("Wolverine:");
        TelemetrySetup.Meters.Should().Contain("Wolverine:*");
    }
}
