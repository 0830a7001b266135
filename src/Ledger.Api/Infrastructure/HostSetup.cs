using System.Text.Json.Serialization;
using FluentValidation;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using Ledger.Api.Access;
using Ledger.Api.Accounts.Writing;
using Ledger.Api.Infrastructure.OpenApi;
using Ledger.Api.Infrastructure.RateLimiting;
using Ledger.Api.Infrastructure.Telemetry;
using Ledger.Api.Portal.Shared;
using Microsoft.AspNetCore.Http.Json;
using Wolverine;
using Wolverine.ErrorHandling;

namespace Ledger.Api.Infrastructure;

public static class HostSetup
{
    /// <summary>
    /// Commands run once next to the service (seed, seed-history, import, verify-ledger, migrate, openapi, move-bucket, archive-closed) against the same database: they start
    /// the host for its write path and schema, but neither listen on the service's port nor run a second copy of its
    /// background work (async projections, nightly statement scheduling).
    /// </summary>
    public static bool IsOneOffCommand(string[] args) =>
        args is ["seed" or "seed-history" or "import" or "verify-ledger" or "migrate" or "openapi" or "move-bucket" or "archive-closed", ..];

    public static WebApplicationBuilder AddLedgerHost(this WebApplicationBuilder builder, string connectionString, Databases.DatabaseMap databases,
        bool oneOffCommand = false, bool manageSchema = true)
    {
        var services = builder.Services;
        if (oneOffCommand)
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddLedgerStore(connectionString, asyncProjections: !oneOffCommand, manageSchema,
            builder.Configuration.GetValue("Ledger:Projections:Distribution", MartenSetup.ProjectionDistribution.HotCold), databases,
            builder.Configuration.GetValue(MartenSetup.ArchivePartitioningKey, false));
        services.Configure<Accounts.Writing.GroupCommitOptions>(builder.Configuration.GetSection("Ledger:GroupCommit"));
        services.AddSingleton<Accounts.Writing.GroupCommit>();
        services.AddSingleton<ReplicaReads>();

        builder.Host.UseWolverine(options =>
        {
            // Serving nodes are Balanced: they register in Wolverine's node table and elect a leader, which gives the
            // durability agent (scheduled messages, recovery of a dead node's inbox) to exactly one of them. A one-off
            // command stays Solo, out of the node table and the elections (docs/operations.md, "Several nodes").
            options.Durability.Mode = oneOffCommand ? DurabilityMode.Solo : DurabilityMode.Balanced;
            // A node that died (or was restarted) is known dead when its heartbeat is stale; only then are the messages it
            // had taken released to the living. Wolverine's defaults (a beat every 10 s, stale after a minute) leave a
            // dead node's notices waiting that long; these find it in about half a minute.
            options.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(5);
            options.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(15);
            // Scheduled messages come due in crowds (every bill due on one day has its collections timer then): the agent
            // takes up to this many each poll (every 5 s). Wolverine's 100 let through 20 a second, measured with 10,000
            // bills; the collections queue reviews them 16 at a time.
            options.Durability.RecoveryBatchSize = 1_000;
            // Handler code: compiled at run time (WolverineFx.RuntimeCompilation) in development and tests, so a
            // new handler needs no extra step; the Docker image pre-generates it (`codegen write`) and loads it
            // statically, which spares each handler's first call a Roslyn compile in production.
            if (builder.Configuration.GetValue<bool>("Ledger:PregeneratedHandlers"))
                options.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            if (!manageSchema)
                options.AutoBuildMessageStorageOnStartup = AutoCreate.None;
            options.Policies.AutoApplyTransactions();
            // Scheduled expiries and other follow-up messages live in PostgreSQL (Wolverine's inbox), committed
            // with the events that caused them, so a crash between the two neither loses nor doubles them.
            options.Policies.UseDurableLocalQueues();
            // A version conflict means another writer appended first: rerun the whole handler, which
            // reloads the account and decides again on the new state. Jitter keeps racing writers apart.
            // A message about an account whose bucket is moving to another database waits for the move (move-bucket);
            // past two hours it goes to the dead letters, to be replayed.
            options.OnException<Databases.BucketMovingException>().ScheduleRetry(
                new[] { 2, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600 }.Select(s => TimeSpan.FromSeconds(s)).ToArray());
            options.OnException<ConcurrencyException>().Or<EventStreamUnexpectedMaxEventIdException>().Or<Marten.Exceptions.ExistingStreamIdCollisionException>()
                .RetryWithCooldown(Enumerable.Range(1, 12).Select(i => TimeSpan.FromMilliseconds(5 * i + Random.Shared.Next(0, 10 * i))).ToArray());
        });

        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(
            new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false)));
        // Swashbuckle describes types with MVC's JSON options: the same converter there makes the document say what the
        // API sends and accepts ("card"), not the enum's numbers.
        services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => o.JsonSerializerOptions.Converters.Add(
            new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase, allowIntegerValues: false)));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddValidatorsFromAssemblyContaining<LedgerOptions>(includeInternalTypes: true);
        ValidationExtensions.UseCamelCaseNames();

        // Before AddProblemDetails, so that it is asked first (see ProblemJsonWriter).
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonWriter>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
            c.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier);
        services.AddExceptionHandler<ExceptionToProblem>();
        builder.WebHost.ConfigureKestrel(k =>
            k.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>("Ledger:MaxRequestBodyBytes") ?? 64 * 1024);

        services.AddLedgerHealthChecks(connectionString);
        services.AddLedgerRateLimiting();
        services.AddLedgerForwardedHeaders(builder.Configuration);
        services.AddLedgerApiDocument();
        builder.AddLedgerTelemetry(oneOffCommand);
        return builder;
    }

    public static WebApplication UseLedgerPipeline(this WebApplication app)
    {
        // First, so everything after it (HSTS, the cookie's Secure flag, rate limits per client) sees the browser's
        // scheme and address rather than the TLS proxy's.
        app.UseForwardedHeaders();
        // Early, so every line logged about the request (a refusal, an exception) carries its correlation id.
        app.UseCorrelationScope();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Inside the general one, so it answers first for /portal (the outer one leaves an answer with a body alone).
        app.UsePortalStatusPages();
        app.UseAuthentication();
        // After authentication, so limits count per user; before the endpoints, so a refused request changes nothing.
        app.UseRateLimiter();
        if (!app.Environment.IsDevelopment())
            app.UseStaffOnlyApiDescription();
        app.UseLedgerApiDocument();
        app.UseAuthorization();
        app.UseMiddleware<RequestInspection>();
        return app;
    }

    public static Task<int> RunLedgerCommandsAsync(this WebApplication app, string[] args) => app.RunJasperFxCommands(args);
}
