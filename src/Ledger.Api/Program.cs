using Ledger.Api.Access;
using Ledger.Api.Accounts;
using Ledger.Api.Approvals;
using Ledger.Api.Auditing;
using Ledger.Api.BankStatements;
using Ledger.Api.Accounts.Disputing;
using Ledger.Api.Statements;
using Ledger.Api.Statements.Rendering;
using Ledger.Api.Policies;
using Ledger.Api.Infrastructure;
using Ledger.Api.Integrity;
using Ledger.Api.Integrity.Anchoring;
using Ledger.Api.Portal;
using Ledger.Api.Notifications;
using Ledger.Api.Webhooks;
using Ledger.Api.EventFeed;
using Ledger.Api.Infrastructure.Telemetry;

var builder = WebApplication.CreateBuilder(args);
string connectionString;
try
{
    connectionString = builder.Configuration.LedgerConnectionString();
}
catch (InvalidOperationException missing)
{
    // One line, like every other start-up refusal, not a stack trace.
    Console.Error.WriteLine($"ledger: {missing.Message}");
    return 2;
}
// `codegen` (run at image build) needs no database; everything else fails fast without one.
if (args is not ["codegen", ..] && await Database.ProbeAsync(connectionString) is { } unreachable)
{
    Console.Error.WriteLine($"ledger: {unreachable}");
    return 2;
}

// `codegen` runs at image build, in Development: it must not leave a signing key in the build stage.
var anchoring = args is ["codegen", ..] ? AnchoringSetup.Off : AnchoringSetup.Resolve(builder.Configuration, builder.Environment);
if (anchoring.Error is { } badAnchoring)
{
    Console.Error.WriteLine($"ledger: {badAnchoring}");
    return 2;
}

var (databases, badDatabases) = Ledger.Api.Infrastructure.Databases.DatabaseMap.From(builder.Configuration, connectionString);
if (badDatabases is not null)
{
    Console.Error.WriteLine($"ledger: {badDatabases}");
    return 2;
}
// A replica is a copy of one database; with accounts over several, each would need its own (not built: docs/capacity.md).
if (databases!.IsSharded && builder.Configuration[ReplicaReads.ConnectionKey] is { Length: > 0 })
{
    Console.Error.WriteLine($"ledger: {ReplicaReads.ConnectionKey} is for a single database; it cannot be combined with {Ledger.Api.Infrastructure.Databases.DatabaseMap.Section}.");
    return 2;
}

var oneOffCommand = HostSetup.IsOneOffCommand(args);
// `migrate` is how the owner applies the schema, whatever the service itself may do (DatabaseRoles).
builder.AddLedgerHost(connectionString, databases!, oneOffCommand, manageSchema: args is ["migrate", ..] || builder.Configuration.GetValue(DatabaseRoles.ManageSchemaKey, true));
builder.Services.AddAnchoring(anchoring, oneOffCommand);
builder.Services.AddLedgerAuthentication(builder.Configuration);
builder.Services.AddLedgerPortal();
builder.Services.AddHostedService<PolicyBootstrap>();
builder.Services.AddStatementRendering();
builder.Services.AddStatementRuns();
builder.Services.AddDataProtection();
builder.Services.AddSingleton<Ledger.Api.Accounts.Profile.ContactConfirmationLinks>();
if (!oneOffCommand)
    builder.Services.AddHostedService<NightlyRunScheduler>();
builder.AddNotifications();
Ledger.Api.Accounts.Paying.PaymentSetup.AddPayments(builder.Services);
builder.Services.AddBankStatements();
Ledger.Api.Accounts.Refunding.RefundSetup.AddRefunds(builder.Services);
builder.AddWebhooks();
Ledger.Api.Collections.CollectionsSetup.AddCollections(builder.Services);
Ledger.Api.ServiceRequests.ServiceRequestsSetup.AddServiceRequests(builder.Services);
Ledger.Api.Corporate.CorporateSetup.AddCorporate(builder.Services);
builder.AddEventFeed(oneOffCommand);

var app = builder.Build();
app.Logger.Log(anchoring.Signing is null ? LogLevel.Warning : LogLevel.Information, "{Anchoring}", anchoring.Note);
app.UseLedgerPipeline();
app.MapLedgerHealth();
app.MapLedgerMetrics();
app.MapAccounts();
app.MapApprovals();
app.MapPolicy();
app.MapMyLimits();
app.MapAuditTrail();
app.MapDisputeQueue();
app.MapStatementRuns();
Ledger.Api.Collections.CollectionsSetup.MapCollections(app);
Ledger.Api.ServiceRequests.ServiceRequestsSetup.MapServiceRequestRoutes(app);
Ledger.Api.Corporate.TreeEndpoints.MapCorporateTrees(app);
app.MapIntegrity();
app.MapLedgerPortal();
app.MapNotifications();
Ledger.Api.Accounts.Paying.PaymentSetup.MapPayments(app);
app.MapBankStatements();
app.MapWebhooks();
Ledger.Api.Operations.ClusterEndpoints.Map(app);

if (args is ["openapi", ..])
    return await Ledger.Api.Infrastructure.OpenApi.ApiDocument.WriteAsync(app, args);
if (args is ["verify-ledger", ..])
    return await VerifyLedgerCommand.RunAsync(app);
if (args is ["move-bucket", ..])
    return await Ledger.Api.Infrastructure.Databases.BucketMoves.RunAsync(app, args);
if (args is ["archive-closed", ..])
    return await Ledger.Api.Accounts.Lifecycle.ArchiveClosedCommand.RunAsync(app, args);
if (args is ["migrate", ..])
    return await DatabaseRoles.MigrateAsync(app, args);
if (args is ["seed", ..])
    return await Ledger.Api.Seeding.DemoDataSeeder.RunAsync(app, args);
if (args is ["import", ..])
    return await Ledger.Api.Importing.ImportCommand.RunAsync(app, args);
if (args is ["seed-history", ..])
    return await Ledger.Api.Seeding.HistorySeeder.RunAsync(app, args);
return await app.RunLedgerCommandsAsync(args);

public partial class Program;
