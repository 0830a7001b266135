using Ledger.Api.Access;
using Marten;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>
/// Traces, metrics and logs in one place (docs/operations.md, "Telemetry"): metrics always (scraped at /metrics, and sent
/// over OTLP when a collector is configured); traces only when a collector is configured, since nothing else would read
/// them; console logs as JSON outside Development, with the trace, span and correlation ids of the request.
/// </summary>
public static class TelemetrySetup
{
    public const string MetricsPath = "/metrics";

    /// <summary>Everything that emits spans for a request: ASP.NET Core, HttpClient, Wolverine, Marten, Npgsql and the ledger's own.</summary>
    public static readonly string[] TracedSources = ["Microsoft.AspNetCore", "System.Net.Http", "Wolverine", "Marten", "Npgsql", LedgerTracing.SourceName];

    /// <summary>
    /// The meters exported: the ledger's own, Marten's (events appended by type), Wolverine's (named after the service, hence
    /// the wildcard: handler times, messages sent and dead-lettered, outbox and inbox counts), Npgsql's, and ASP.NET Core's
    /// and HttpClient's request durations.
    /// </summary>
    public static readonly string[] Meters = [LedgerMetrics.MeterName, "Marten", "Wolverine:*"];

    /// <summary><paramref name="oneOffCommand"/>: a command run beside the service reads no gauges (the service does).</summary>
    public static WebApplicationBuilder AddLedgerTelemetry(this WebApplicationBuilder builder, bool oneOffCommand = false)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section)
            .Validate(o => o.GaugeRefresh >= TimeSpan.FromSeconds(1), $"{TelemetryOptions.Section}:GaugeRefresh is at least 00:00:01.")
            .Validate(o => o.Otlp.Protocol is "grpc" or "http/protobuf", $"{TelemetryOptions.Section}:Otlp:Protocol is grpc or http/protobuf.")
            .ValidateOnStart();
        services.AddSingleton<OperationalGauges>();
        if (!oneOffCommand)
            services.AddHostedService(sp => sp.GetRequiredService<OperationalGauges>());

        // Marten's connection spans (a session's commands under one span) and its counter of appended events by type.
        // Neither costs anything while no one listens.
        services.ConfigureMarten(options =>
        {
            options.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
            options.OpenTelemetry.TrackEventCounters();
        });

        // JSON unless Logging:Console:FormatterName says otherwise; Development keeps the readable one-liners.
        if (!builder.Environment.IsDevelopment())
            services.Configure<ConsoleLoggerOptions>(o => o.FormatterName ??= ConsoleFormatterNames.Json);

        var settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = Otlp(builder.Configuration, settings.Otlp);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(settings.ServiceName, serviceInstanceId: Environment.MachineName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Meters).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddNpgsqlInstrumentation()
                    .AddPrometheusExporter();
                if (otlp is not null)
                    metrics.AddOtlpExporter(o => otlp(o, "v1/metrics"));
            });
        if (otlp is not null)
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbe(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource("Wolverine", "Marten", LedgerTracing.SourceName)
                // Batched and sent in the background: a request never waits for the collector.
                .AddOtlpExporter(o => otlp(o, "v1/traces")));
        return builder;
    }

    /// <summary>
    /// /metrics in Prometheus' text format. Open in Development and Testing; elsewhere for admins and the scrape token
    /// (<see cref="AccessPolicies.ScrapeMetrics"/>). Not an API route (no OpenAPI entry), and never rate-limited: Prometheus
    /// scrapes on its own schedule from one address, and the exporter answers repeated scrapes from a short cache.
    /// </summary>
    public static WebApplication MapLedgerMetrics(this WebApplication app)
    {
        var endpoint = app.MapPrometheusScrapingEndpoint(MetricsPath).DisableRateLimiting().ExcludeFromDescription();
        if (app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing"))
            endpoint.AllowAnonymous();
        else
            endpoint.RequireAuthorization(AccessPolicies.ScrapeMetrics);
        return app;
    }

    public static IApplicationBuilder UseCorrelationScope(this IApplicationBuilder app) => app.UseMiddleware<CorrelationScope>();

    private static bool IsProbe(PathString path) => path.StartsWithSegments(MetricsPath) || path.StartsWithSegments("/health");

    /// <summary>
    /// How to reach the collector, or null for none: <c>Telemetry:Otlp:Endpoint</c>, else the standard OTEL_EXPORTER_OTLP_*
    /// variables, which the exporter then reads itself (per signal, headers and all).
    /// </summary>
    private static Action<OtlpExporterOptions, string>? Otlp(IConfiguration configuration, TelemetryOptions.OtlpSettings settings)
    {
        if (settings.Endpoint is { Length: > 0 } endpoint)
        {
            var protocol = settings.Protocol == "http/protobuf" ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
            var root = new Uri(endpoint.EndsWith('/') ? endpoint : endpoint + "/");
            // Set in code, the endpoint is used as it is: over HTTP each signal has its own path.
            return (o, signalPath) => (o.Protocol, o.Endpoint) = (protocol, protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(root, signalPath) : root);
        }
        return configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } ? (_, _) => { } : null;
    }
}
