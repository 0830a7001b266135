using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Ledger.Api.Infrastructure;

public static class Health
{
    public const int HealthPoolSize = 2;

    public static IServiceCollection AddLedgerHealthChecks(this IServiceCollection services, string connectionString)
    {
        // A pool of its own, of two: the checks must answer while the writers' pool is exhausted, and count in the
        // connections a node may open (docs/operations.md, "Connections").
        var checks = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = HealthPoolSize }.ConnectionString;
        services.AddHealthChecks()
            .AddNpgSql(checks, name: "postgresql", tags: ["ready"], timeout: TimeSpan.FromSeconds(3))
            .AddCheck("schema", new SchemaHealthCheck(checks), tags: ["ready"])
            .AddCheck<ProjectionLag>("async-projections", tags: ["ready"]);
        services.AddSingleton<ProjectionLag>();
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionLag>());
        return services;
    }

    public static void MapLedgerHealth(this WebApplication app)
    {
        // Probes are never rate-limited: an orchestrator polling readiness must not be told 429 and restart the service.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous().DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = WriteReport,
        }).AllowAnonymous().DisableRateLimiting();
    }

    /// <summary>
    /// The status code says ready or not to anyone (load balancers, compose); the per-check details (server, schema,
    /// projection lag, error messages) only to staff outside Development, since they describe the inside of the service.
    /// </summary>
    private static async Task WriteReport(HttpContext context, HealthReport report)
    {
        var details = context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment() || await Access.StaffOnly.IsStaffAsync(context);
        if (!details)
        {
            await context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });
            return;
        }
        await context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data }),
        });
    }

    /// <summary>Ready means the event store's tables exist, not merely that the server answers.</summary>
    private sealed class SchemaHealthCheck(string connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                await using var command = new NpgsqlCommand(
                    $"select to_regclass('{MartenSetup.Schema}.mt_events') is not null and to_regclass('{MartenSetup.Schema}.mt_doc_account') is not null",
                    connection);
                return await command.ExecuteScalarAsync(ct) is true
                    ? HealthCheckResult.Healthy("event store schema applied")
                    : HealthCheckResult.Unhealthy("event store schema missing");
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"database unreachable: {e.GetBaseException().Message}");
            }
        }
    }
}
