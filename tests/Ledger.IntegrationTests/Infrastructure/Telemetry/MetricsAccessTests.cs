using System.Net;
using Ledger.IntegrationTests.Deployment;
using Ledger.IntegrationTests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Ledger.IntegrationTests.Infrastructure.Telemetry;

/// <summary>Issue 25: outside Development, /metrics is for admins and the configured scrape token; logs are JSON.</summary>
[Collection(ProductionCollection.Name)]
public sealed class MetricsAccessTests(ProductionApp app)
{
    [Fact]
    public async Task Given_production_When_metrics_are_scraped_without_the_credential_Then_refused_and_with_it_served()
    {
        using var anonymous = app.Direct();
        (await anonymous.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var wrongToken = app.Direct();
        wrongToken.DefaultRequestHeaders.Authorization = new("Bearer", "not-the-scrape-token");
        (await wrongToken.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        using var staff = app.Direct(TestUser.Manager());
        (await staff.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "staff other than admins may not");

        using var admin = app.Direct(TestUser.Admin());
        var asAdmin = await admin.GetAsync("/metrics");
        asAdmin.StatusCode.Should().Be(HttpStatusCode.OK);
        (await asAdmin.Content.ReadAsStringAsync()).Should().Contain("ledger_projection_lag");
        using var prometheus = app.Direct();
        prometheus.DefaultRequestHeaders.Authorization = new("Bearer", ProductionApp.ScrapeToken);
        (await prometheus.GetAsync("/metrics")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public void Given_production_Then_console_logs_are_json_with_scopes()
    {
        app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName.Should().Be(ConsoleFormatterNames.Json);
        app.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes.Should().BeTrue();
    }
}
