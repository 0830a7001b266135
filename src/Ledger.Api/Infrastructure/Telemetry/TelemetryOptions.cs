namespace Ledger.Api.Infrastructure.Telemetry;

/// <summary>The <c>Telemetry</c> section (docs/operations.md, "Telemetry").</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>The <c>service.name</c> of every span and metric sent over OTLP.</summary>
    public string ServiceName { get; set; } = "ledger-api";

    public OtlpSettings Otlp { get; set; } = new();

    public ScrapeSettings Metrics { get; set; } = new();

    /// <summary>How often the gauges that need a query (approvals pending, outbox, dead letters) are read.</summary>
    public TimeSpan GaugeRefresh { get; set; } = TimeSpan.FromSeconds(10);

    public sealed class OtlpSettings
    {
        /// <summary>Where traces and metrics go (a collector): none, and nothing is sent. OTEL_EXPORTER_OTLP_ENDPOINT works too.</summary>
        public string? Endpoint { get; set; }

        /// <summary><c>grpc</c> (port 4317) or <c>http/protobuf</c> (port 4318).</summary>
        public string Protocol { get; set; } = "grpc";
    }

    public sealed class ScrapeSettings
    {
        /// <summary>
        /// Outside Development, /metrics answers an admin's bearer token or this one (<c>Authorization: Bearer …</c>, what
        /// Prometheus sends with <c>authorization.credentials_file</c>). Empty: admins only.
        /// </summary>
        public string? ScrapeToken { get; set; }
    }
}
